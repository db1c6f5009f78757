#!/usr/bin/env bash
# One command: set up and run monitorgen on embedded defaults (SQLite, embedded generator, demo data).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
PY="${MONITORGEN_VENV:-$ROOT/.venv}/bin/python"
"$PY" manage.py migrate --noinput
"$PY" manage.py demo_setup
echo "[run] monitorgen at http://${HOST:-127.0.0.1}:${PORT:-8000}/  (demo users: see README)" >&2
exec "$PY" manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
