#!/usr/bin/env bash
# Idempotent set-up: a virtualenv with the locked dependencies, and promtool/prometheus.
# Sourced by run.sh and test.sh; safe to run on its own.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${MONITORGEN_VENV:-$ROOT/.venv}"

log() { printf '[setup] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

find_python() {
  # Django 6 wants Python 3.12+; 3.11 still works on the Django 5.2 LTS line.
  local candidates=() c
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  candidates+=(python3.14 python3.13 python3.12)
  if command -v pyenv >/dev/null; then
    for c in "$(pyenv root)"/versions/3.1[2-9]*/bin/python3; do [ -x "$c" ] && candidates+=("$c"); done
  fi
  candidates+=(python3.11 python3)
  for c in "${candidates[@]}"; do
    if "$c" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; then
      echo "$c"; return 0
    fi
  done
  log "no Python 3.11+ found; install python3 (Debian: apt-get install python3 python3-venv)"
  return 1
}

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    local py; py="$(find_python)"
    log "creating virtualenv with $("$py" --version 2>&1) at $VENV"
    "$py" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
  fi
  local stamp; stamp="$VENV/.deps-$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    log "installing Python dependencies (locked by requirements.lock)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
    rm -f "$VENV"/.deps-*; touch "$stamp"
  fi
}

ensure_promtool() {
  if [ -n "${PROMTOOL:-}" ]; then
    [ -x "$PROMTOOL" ] || { log "PROMTOOL=$PROMTOOL is not an executable file"; return 1; }
    return 0
  fi
  if command -v promtool >/dev/null && command -v prometheus >/dev/null; then return 0; fi
  if command -v apt-get >/dev/null; then
    log "installing promtool and prometheus (Debian package 'prometheus')"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
    # The Debian package starts a system Prometheus on :9090; monitorgen does not need it.
    as_root systemctl disable --now prometheus >/dev/null 2>&1 || true
  elif [ "$(uname)" = Darwin ]; then
    log "promtool is missing: run 'brew install prometheus' (or set PROMTOOL=/path/to/promtool)"; return 1
  else
    log "promtool is missing: install your distribution's prometheus package or set PROMTOOL"; return 1
  fi
}

ensure_chromium() {
  # Browser tests drive Debian's chromium through Playwright; Playwright's own download is not used.
  if [ -n "${CHROMIUM:-}" ] || command -v chromium >/dev/null; then return 0; fi
  if command -v apt-get >/dev/null; then
    log "installing chromium (Debian package) for the browser tests"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    log "chromium is missing: install it, or set CHROMIUM=/path/to/chromium"; return 1
  fi
}

ensure_venv
ensure_promtool
if [ "${1:-}" = "--with-browser" ]; then ensure_chromium; fi
log "ready: $("$VENV/bin/python" --version), $(${PROMTOOL:-promtool} --version 2>&1 | head -n1)"
