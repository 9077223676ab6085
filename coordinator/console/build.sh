#!/usr/bin/env bash
# Builds the web console into the coordinator's classes (OUT, default ../target/classes/console), run by Maven's
# generate-resources phase (coordinator/pom.xml). Installs exactly what package-lock.json pins ('npm ci') when
# node_modules is missing or older than the lock file, and rebuilds only when a source is newer than the last build.
# -Dconsole.skip=true skips it (the server then answers /console/ with how to get a console).
set -euo pipefail
cd "$(dirname "$0")"
OUT="${1:-../target/classes/console}"
STAMP="$OUT/.built"

if ! command -v npm >/dev/null 2>&1; then
  echo "console: npm is not on the PATH; install Node.js 20 or newer with npm (e.g. Debian's nodejs and npm packages), or build with -Dconsole.skip=true to leave the console out" >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "console: npm ci (from package-lock.json)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
if [ -f "$STAMP" ] && [ -z "$(find src index.html package.json package-lock.json vite.config.ts tsconfig.json -newer "$STAMP" -print -quit 2>/dev/null)" ]; then
  exit 0
fi
COVENANT_CONSOLE_OUT="$OUT" npm run --silent build >&2
touch "$STAMP"
