#!/usr/bin/env bash
# Creates the tests' Python virtualenv (.venv/, git-ignored) and installs test/requirements.txt
# (pinned). Idempotent: a second run only checks that everything is installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup-python: $PYTHON not found; install Python 3.10+ (Debian: apt-get install python3 python3-venv)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv; then
    # Debian ships venv's pip bootstrap separately.
    rm -rf .venv
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null) || sudo -n apt-get install -y -qq python3-venv
    "$PYTHON" -m venv .venv
  fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r test/requirements.txt
.venv/bin/python -c "import django, oauth2_provider, oauthlib, gunicorn; print('setup-python: Django', django.get_version(), '+ django-oauth-toolkit', oauth2_provider.__version__, '+ oauthlib', oauthlib.__version__)"
.venv/bin/schemathesis --version
cp test/requirements.txt .venv/.requirements-installed
