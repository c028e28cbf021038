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
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r test/requirements.txt
.venv/bin/schemathesis --version
