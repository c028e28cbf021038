#!/usr/bin/env bash
# Builds FerretDB (MongoDB wire protocol on SQLite) from the Go module proxy into .data/bin/.
# It is the embedded database for `npm start` without MONGO_URL, and the tests' database.
# The patches in scripts/ferretdb/ are applied before building (each says why and links upstream);
# the build carries PATCH_LEVEL in its version, so a binary built without them is rebuilt.
set -euo pipefail

VERSION="${FERRETDB_VERSION:-v1.24.2}"
# Bump when scripts/ferretdb/*.patch changes: installed binaries with another suffix are rebuilt.
PATCH_LEVEL="hrm.3"
BUILD_VERSION="$VERSION-$PATCH_LEVEL"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${FERRETDB_BIN:-$ROOT/.data/bin/ferretdb}"

if [ -x "$DEST" ] && "$DEST" --version 2>/dev/null | grep -qx "version: $BUILD_VERSION"; then
  [ "${1:-}" = "--check" ] || echo "FerretDB $BUILD_VERSION already installed at $DEST"
  exit 0
fi
# --check: exit 3 when the binary is missing or not this build (npm start then rebuilds it).
[ "${1:-}" = "--check" ] && exit 3
if [ -x "$DEST" ]; then
  echo "FerretDB at $DEST is not $BUILD_VERSION (unpatched or another version): rebuilding."
fi

# A build kept in the machine's cache (from an earlier clone) is reused: fresh clones in CI skip the
# minutes-long compile. HRM_CACHE_DIR= (empty) turns the cache off.
CACHE_DIR="${HRM_CACHE_DIR-${XDG_CACHE_HOME:-$HOME/.cache}/hrm-sso}"
CACHED="${CACHE_DIR:+$CACHE_DIR/ferretdb-$BUILD_VERSION}"
if [ -n "$CACHED" ] && [ -x "$CACHED" ] && "$CACHED" --version 2>/dev/null | grep -qx "version: $BUILD_VERSION"; then
  mkdir -p "$(dirname "$DEST")"
  cp "$CACHED" "$DEST.new" && mv -f "$DEST.new" "$DEST"
  echo "FerretDB $BUILD_VERSION installed at $DEST (from the build cache $CACHED)"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "Cannot build FerretDB: no Go toolchain on PATH. Install Go 1.24+ (then run 'npm run setup:ferretdb') or set MONGO_URL to a MongoDB server." >&2
  exit 1
fi

echo "Building FerretDB $BUILD_VERSION with $(go version) (the first build takes a few minutes)..."
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
for p in "$ROOT"/scripts/ferretdb/*.patch; do
  # --forward + --dry-run first: a patch that no longer applies (another FERRETDB_VERSION) stops the build.
  if ! (cd "$WORK" && patch -p1 --forward --silent --dry-run < "$p" >/dev/null); then
    echo "Cannot apply $(basename "$p") to FerretDB $VERSION; it was written for v1.24.2." >&2
    exit 1
  fi
  (cd "$WORK" && patch -p1 --forward --silent < "$p")
  echo "Applied $(basename "$p")"
done
# FerretDB embeds its version from this file, normally written by its own task runner.
echo "$BUILD_VERSION" > "$WORK/build/version/version.txt"
mkdir -p "$(dirname "$DEST")"
# Build next to the destination, then rename: a running FerretDB keeps its (old) inode.
(cd "$WORK" && GOFLAGS=-buildvcs=false go build -trimpath -o "$DEST.new" ./cmd/ferretdb)
mv -f "$DEST.new" "$DEST"
if [ -n "$CACHED" ]; then mkdir -p "$CACHE_DIR" && cp "$DEST" "$CACHED.tmp" && mv -f "$CACHED.tmp" "$CACHED" || true; fi
echo "FerretDB $BUILD_VERSION installed at $DEST"
