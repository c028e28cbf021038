"""
Benchmark data for DOT, written with the ORM in bulk:

  manage.py bench_dot setup            users and applications; prints JSON
  manage.py bench_dot filler N         N filler tokens (half access, half refresh tokens)
  manage.py bench_dot pool refresh N   N access+refresh pairs of the code app; prints the refresh tokens (JSON list)
  manage.py bench_dot pool code N      N authorization codes of the code app; prints them (JSON list)
"""
import json
import random
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

USERNAME = "benchuser"
PASSWORD = "correct horse battery staple"
REDIRECT_URI = "http://127.0.0.1:9/callback"
BATCH = 5000


def app(name, grant_type):
    secret = secrets.token_urlsafe(32)
    a = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=grant_type,
        redirect_uris=REDIRECT_URI,
        client_secret=secret,
        hash_client_secret=False,
        algorithm="",
    )
    return {"client_id": a.client_id, "client_secret": secret}


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("action", choices=["setup", "filler", "pool"])
        parser.add_argument("rest", nargs="*")

    def handle(self, *args, **options):
        action = options["action"]
        rest = options["rest"]
        if action == "setup":
            self.setup()
        elif action == "filler":
            self.filler(int(rest[0]))
        else:
            self.pool(rest[0], int(rest[1]))

    def setup(self):
        User = get_user_model()
        user = User.objects.create_user(username=USERNAME, email="bench@example.com", password=PASSWORD, first_name="Bench", last_name="User")
        User.objects.create_user(username="filler", email="filler@example.com", password=None)
        code = app("bench-code", Application.GRANT_AUTHORIZATION_CODE)
        password = app("bench-password", Application.GRANT_PASSWORD)
        cc = app("bench-cc", Application.GRANT_CLIENT_CREDENTIALS)
        app("filler", Application.GRANT_AUTHORIZATION_CODE)
        token = secrets.token_urlsafe(32)
        AccessToken.objects.create(user=user, token=token, application=Application.objects.get(client_id=code["client_id"]), expires=timezone.now() + timedelta(hours=10), scope="read")
        self.stdout.write(json.dumps({"code": code, "password": password, "client_credentials": cc, "username": USERNAME, "password_value": PASSWORD, "redirect_uri": REDIRECT_URI, "access_token": token}))

    def filler(self, n):
        user = get_user_model().objects.get(username="filler")
        application = Application.objects.get(name="filler")
        now = timezone.now()
        for start in range(0, n, BATCH):
            count = min(BATCH, n - start)
            with transaction.atomic():
                access = [
                    AccessToken(user=user, token=secrets.token_urlsafe(32), application=application, expires=now + timedelta(seconds=60 + random.randint(0, 36000)), scope="read")
                    for _ in range((count + 1) // 2)
                ]
                AccessToken.objects.bulk_create(access)
                RefreshToken.objects.bulk_create(
                    [RefreshToken(user=user, token=secrets.token_urlsafe(32), application=application) for _ in range(count // 2)]
                )

    def pool(self, kind, n):
        user = get_user_model().objects.get(username=USERNAME)
        application = Application.objects.get(name="bench-code")
        now = timezone.now()
        out = []
        for start in range(0, n, BATCH):
            count = min(BATCH, n - start)
            with transaction.atomic():
                if kind == "code":
                    codes = [secrets.token_urlsafe(32) for _ in range(count)]
                    Grant.objects.bulk_create(
                        [Grant(user=user, code=c, application=application, expires=now + timedelta(hours=1), redirect_uri=REDIRECT_URI, scope="read") for c in codes]
                    )
                    out += codes
                else:
                    access = [AccessToken(user=user, token=secrets.token_urlsafe(32), application=application, expires=now + timedelta(hours=10), scope="read") for _ in range(count)]
                    AccessToken.objects.bulk_create(access)
                    refresh = [RefreshToken(user=user, token=secrets.token_urlsafe(32), application=application, access_token=a) for a in access]
                    RefreshToken.objects.bulk_create(refresh)
                    out += [r.token for r in refresh]
        self.stdout.write(json.dumps(out))
