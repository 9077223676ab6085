#!/usr/bin/env bash
# Creates (or reuses) one project-local Python virtual environment with the exact versions a requirements file pins,
# and prints the absolute path of its folder.
#
#   .ci/venv.sh NAME REQUIREMENTS_FILE
#
# The environment is .ci/cache/venv-NAME (git-ignored). It is reinstalled from scratch only when the requirements file
# differs from the copy kept inside it, so a second run costs nothing. Used by .ci/fuzz-api (schemathesis, NAME fuzz)
# and by './covenant bench he|psi|fl' for the peers they run side by side (.ci/bench-peers/, NAME bench-peers); never
# by the default tests. Packages come from PyPI through pip as configured on the machine. A failed install leaves
# nothing half-installed: run the same command again to retry.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: .ci/venv.sh NAME REQUIREMENTS_FILE" >&2; exit 2; }
name="$1"
requirements="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
[ -f "$requirements" ] || { echo "venv.sh: no requirements file at $2" >&2; exit 2; }
case "$name" in *[!a-z0-9-]* | "") echo "venv.sh: NAME takes lower-case letters, digits and '-'; got '$name'" >&2; exit 2 ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.ci/cache"
venv="$cache/venv-$name"
mkdir -p "$cache"

# One installer per environment at a time (a bench and a fuzz run, or two benches, may ask at once).
exec 9>"$cache/.venv-$name.lock"
flock 9

if cmp -s "$requirements" "$venv/.requirements" && [ -x "$venv/bin/python" ]; then
  echo "$venv"
  exit 0
fi

python=""
for candidate in python3 /usr/bin/python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
[ -n "$python" ] || { echo "venv.sh: no Python 3.9 or newer with venv found; install one (apt-get install python3-venv) and run this again" >&2; exit 1; }

log="$cache/venv-$name.log"
echo "venv.sh: installing $(basename "$(dirname "$requirements")")/$(basename "$requirements") into .ci/cache/venv-$name (log: $log) ..." >&2
# Built in its final place (a venv's scripts name their folder, so it cannot be moved there afterwards); the copy of the
# requirements, written last, marks it complete, so an interrupted install is redone on the next run.
rm -rf "$venv"
if ! { "$python" -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"; } >"$log" 2>&1; then
  rm -rf "$venv"
  echo "venv.sh: installing $2 failed:" >&2
  tail -n 20 "$log" >&2
  echo "venv.sh: check that PyPI is reachable and that every pinned version has a wheel for $("$python" --version 2>&1), then run this again" >&2
  exit 1
fi
cp "$requirements" "$venv/.requirements"
echo "$venv"
