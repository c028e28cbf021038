#!/usr/bin/env bash
# The Python side of `BENCH_DOT=1 npm run bench`: a virtualenv in .data/bench-venv/ (git-ignored)
# with Django OAuth Toolkit, gunicorn and psycopg pinned in bench/requirements-dot.txt, and a
# check that PostgreSQL's server binaries are there (Debian: apt-get install -y postgresql; the
# bench starts its own throwaway cluster, so the system service may stay stopped).
# Idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
[ -x .data/bench-venv/bin/python ] || "$PYTHON" -m venv .data/bench-venv
.data/bench-venv/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements-dot.txt
.data/bench-venv/bin/python -c "import django, oauth2_provider, psycopg; print('setup-bench-dot: Django', django.get_version(), '+ DOT', oauth2_provider.__version__, '+ psycopg', psycopg.__version__)"
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "setup-bench-dot: PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1) found"
else
  echo "setup-bench-dot: no PostgreSQL server found (apt-get install -y postgresql); the bench will run DOT on SQLite and say so" >&2
fi
