"""
Django OAuth Toolkit as the benchmark's comparison system (BENCH_DOT=1): the unmodified DOT
fixture (test/fixtures/dot/hrm) with a production-like setup:
- PostgreSQL when DOT_PG_* is set (bench/lib/dot.ts starts a private cluster), else SQLite;
- Django's default password hashers (PBKDF2-SHA256, 1,000,000 iterations in Django 5.2), where
  the fixture uses MD5 for test speed;
- persistent database connections (CONN_MAX_AGE), as any production deployment sets;
- the bench's applications store their client secret unhashed (hash_client_secret=False, a DOT
  option): otherwise every client authentication would cost one PBKDF2 hash.
"""
import os

from hrm.settings import *  # noqa: F401,F403

INSTALLED_APPS = INSTALLED_APPS + ["benchdot"]  # noqa: F405

del PASSWORD_HASHERS  # noqa: F821 (back to Django's defaults)

if os.environ.get("DOT_PG_PORT"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("DOT_PG_NAME", "dot"),
            "USER": os.environ.get("DOT_PG_USER", "postgres"),
            "HOST": os.environ["DOT_PG_HOST"],
            "PORT": os.environ["DOT_PG_PORT"],
            "CONN_MAX_AGE": 600,
        }
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
