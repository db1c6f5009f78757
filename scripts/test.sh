#!/usr/bin/env bash
# One command: set up and run every check: lint, types, the test suite on SQLite and on PostgreSQL.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh" --with-browser
cd "$ROOT"
BIN="${MONITORGEN_VENV:-$ROOT/.venv}/bin"
PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

echo "== ruff" >&2
"$BIN/ruff" check .
echo "== mypy" >&2
"$BIN/mypy" monitorgen validators
echo "== migrations are up to date" >&2
"$BIN/python" manage.py makemigrations --check --dry-run >/dev/null

echo "== tests on SQLite" >&2
env -u DATABASE_URL "$BIN/pytest" -q "$@"

if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr); sys.exit(1)
PY
then
  echo "== tests on PostgreSQL ($PG_URL)" >&2
  DATABASE_URL="$PG_URL" "$BIN/pytest" -q "$@"
elif [ "${CI:-}" = true ]; then
  echo "PostgreSQL is required in CI" >&2; exit 1
else
  echo "== skipped PostgreSQL run (no server at $PG_URL)" >&2
fi
