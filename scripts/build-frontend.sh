#!/usr/bin/env bash
# Rebuild the rule editor bundle in monitorgen/static/vendor/editor/ from frontend/.
#
# Needs Node 18+ and npm with access to the npm registry, at build time only: the app serves the
# committed bundle and never needs Node. Reproducible: `npm ci` installs the exact versions in
# frontend/package-lock.json into a throwaway directory, esbuild's version is pinned there too,
# and the output holds no paths or timestamps, so two runs give the same bytes (checked below).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/monitorgen/static/vendor/editor"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/monitorgen-frontend.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

command -v npm >/dev/null || { echo "build-frontend: npm is not installed" >&2; exit 5; }

cp "$ROOT/frontend/package.json" "$ROOT/frontend/package-lock.json" "$ROOT/frontend/licenses.mjs" "$WORK/"
cp -R "$ROOT/frontend/editor" "$WORK/editor"
# No install scripts: esbuild finds its platform binary package without its postinstall step.
(cd "$WORK" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

mkdir -p "$OUT"
(cd "$WORK" && ./node_modules/.bin/esbuild editor/main.js \
  --bundle --minify --format=iife --global-name=monitorgenEditor --target=es2020 \
  --charset=utf8 --legal-comments=none --log-level=warning \
  --banner:js="/* monitorgen rule editor (CodeMirror 6, YAML, PromQL). Source: frontend/editor/. Licenses: THIRD_PARTY_LICENSES.txt */" \
  --metafile=meta.json --outfile=editor.min.js)
(cd "$WORK" && node licenses.mjs meta.json . > THIRD_PARTY_LICENSES.txt)

cp "$WORK/editor.min.js" "$WORK/THIRD_PARTY_LICENSES.txt" "$OUT/"
(cd "$OUT" && sha256sum editor.min.js THIRD_PARTY_LICENSES.txt)
