#!/usr/bin/env bash
# Builds FerretDB (MongoDB wire protocol on SQLite) from the Go module proxy into .data/bin/.
# It is the embedded database for `npm start` without MONGO_URL, and the tests' database.
set -euo pipefail

VERSION="${FERRETDB_VERSION:-v1.24.2}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${FERRETDB_BIN:-$ROOT/.data/bin/ferretdb}"

if [ -x "$DEST" ] && "$DEST" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "FerretDB $VERSION already installed at $DEST"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "Cannot build FerretDB: no Go toolchain on PATH. Install Go 1.24+ (then run 'npm run setup:ferretdb') or set MONGO_URL to a MongoDB server." >&2
  exit 1
fi

echo "Building FerretDB $VERSION with $(go version) (the first build takes a few minutes)..."
# `go install pkg@version` needs the proxy's version list, which some proxies refuse;
# downloading the exact version and building it works everywhere.
SRC_DIR="$(GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [ -z "$SRC_DIR" ] || [ ! -d "$SRC_DIR" ]; then
  echo "Cannot download github.com/FerretDB/FerretDB@$VERSION from the Go module proxy ($(go env GOPROXY))." >&2
  exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp -R "$SRC_DIR"/. "$WORK"
chmod -R u+w "$WORK"
# FerretDB embeds its version from this file, normally written by its own task runner.
echo "$VERSION" > "$WORK/build/version/version.txt"
mkdir -p "$(dirname "$DEST")"
(cd "$WORK" && GOFLAGS=-buildvcs=false go build -trimpath -o "$DEST" ./cmd/ferretdb)
echo "FerretDB $VERSION installed at $DEST"
