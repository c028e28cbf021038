#!/usr/bin/env bash
# Docker for the container test, on a machine without Docker Hub: Debian's docker.io, a private
# dockerd (overlay2 storage where the kernel mounts overlayfs on the cache's filesystem, else vfs;
# its own socket and data directory, no bridge or iptables changes), and the
# Dockerfile's base image assembled locally with debootstrap and imported under its official tag.
#
#   scripts/setup-docker.sh install   apt packages (docker.io, debootstrap); idempotent
#   scripts/setup-docker.sh start     install + start dockerd + base image; prints DOCKER_HOST=…
#   scripts/setup-docker.sh stop      stops the dockerd this script started (by its pid file)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

# The base image the Dockerfile names (FROM debian:<release>-slim).
RELEASE="$(sed -n 's/^ARG DEBIAN_RELEASE=\([a-z]*\).*/\1/p' Dockerfile | head -1)"
RELEASE="${RELEASE:-trixie}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Image layers persist between runs and between clones (the machine's cache, so a fresh clone in CI
# reuses the base image and unchanged layers); the socket lives in a short /tmp path, one daemon per
# data root.
DATA_ROOT="${HRM_DOCKER_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/hrm-sso/docker}"
RUN_DIR="${HRM_DOCKER_RUN:-/tmp/hrm-docker-$(printf '%s' "$DATA_ROOT" | md5sum | cut -c1-8)}"
SOCK="$RUN_DIR/docker.sock"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

install() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if [ "${#missing[@]}" -gt 0 ]; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# overlay2 shares unchanged files between layers; vfs copies the whole filesystem at every build step
# (a cold image build took 137-210 s on vfs). HRM_DOCKER_STORAGE=vfs|overlay2 forces one.
storage_driver() {
  if [ -n "${HRM_DOCKER_STORAGE:-}" ]; then echo "$HRM_DOCKER_STORAGE"; return; fi
  local probe="$DATA_ROOT/overlay-probe"
  as_root rm -rf "$probe"
  mkdir -p "$probe"/{lower,upper,work,merged}
  if as_root mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
    as_root umount "$probe/merged"
    echo overlay2
  else
    echo vfs
  fi
  as_root rm -rf "$probe"
}

running() { [ -S "$SOCK" ] && docker -H "unix://$SOCK" version >/dev/null 2>&1; }

start_daemon() {
  running && return 0
  local driver; driver="$(storage_driver)"
  launch_daemon "$driver" && return 0
  if [ "$driver" != vfs ] && [ -z "${HRM_DOCKER_STORAGE:-}" ]; then
    echo "dockerd did not start with $driver storage; trying vfs (slower builds)." >&2
    launch_daemon vfs && return 0
  fi
  echo "dockerd did not start; its log:" >&2
  tail -20 "$RUN_DIR/dockerd.log" >&2
  exit 1
}

launch_daemon() {
  local driver="$1"
  # One data root per driver: a daemon refuses (or hides) images another driver stored.
  local root="$DATA_ROOT/root"
  [ "$driver" = vfs ] || root="$DATA_ROOT/root-$driver"
  mkdir -p "$RUN_DIR" "$root"
  as_root dockerd --storage-driver="$driver" --iptables=false --ip6tables=false --bridge=none \
    -H "unix://$SOCK" --data-root "$root" --exec-root "$RUN_DIR/exec" \
    --pidfile "$RUN_DIR/dockerd.pid" >"$RUN_DIR/dockerd.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do
    running && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.5
  done
  as_root kill "$pid" 2>/dev/null || true
  return 1
}

base_image() {
  local tag="debian:${RELEASE}-slim"
  docker -H "unix://$SOCK" image inspect "$tag" >/dev/null 2>&1 && return 0
  local dir="$RUN_DIR/rootfs-$RELEASE"
  as_root rm -rf "$dir"
  echo "Assembling $tag with debootstrap (Docker Hub is not used)..." >&2
  as_root debootstrap --variant=minbase "$RELEASE" "$dir" "$MIRROR" >"$RUN_DIR/debootstrap.log" 2>&1 ||
    { tail -20 "$RUN_DIR/debootstrap.log" >&2; exit 1; }
  as_root rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  as_root tar -C "$dir" -c . | docker -H "unix://$SOCK" import - "$tag" >/dev/null
  as_root rm -rf "$dir"
}

stop_daemon() {
  local pidfile="$RUN_DIR/dockerd.pid"
  [ -f "$pidfile" ] || return 0
  local pid; pid="$(cat "$pidfile")"
  as_root kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && as_root kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

case "${1:-start}" in
  install) install ;;
  start) install; start_daemon; base_image; echo "DOCKER_HOST=unix://$SOCK" ;;
  stop) stop_daemon ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
