#!/usr/bin/env bash
# Installs the AT Protocol PDS and PLC directory that the Bluesky connector's
# tests run against (scripts/pds: @atproto/pds 0.4.x and @did-plc/server,
# versions pinned in scripts/pds/package-lock.json).
#
# Idempotent: does nothing when scripts/pds/node_modules already matches the
# lockfile and loads. Fails loudly, with the reason, otherwise.
#
# Needs Node.js 20 with npm, and a C++ toolchain (g++, make, python3): the
# PDS stores its data with better-sqlite3, a native module compiled here
# against the Node headers in $NODEDIR (default /usr, from Debian's nodejs).
set -euo pipefail

cd "$(dirname "$0")/pds"
NODEDIR="${NODEDIR:-/usr}"

die() { echo "install-pds: $*" >&2; exit 1; }

command -v node >/dev/null || die "node is not on PATH: install Node.js 20 (apt-get install nodejs npm)"
command -v npm >/dev/null || die "npm is not on PATH: install npm (apt-get install npm)"
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" = "20" ] || die "Node.js 20 is required (found $(node --version)): @atproto/pds 0.4 targets it"
[ -f "$NODEDIR/include/node/node.h" ] \
  || die "no Node headers in $NODEDIR/include/node: set NODEDIR, or install Debian's libnode-dev"
for tool in g++ make python3; do
  command -v "$tool" >/dev/null || die "$tool is missing: better-sqlite3 is compiled from source"
done

check() {
  node -e "
    require('better-sqlite3')(':memory:').close();
    require('@atproto/pds');
    require('@did-plc/server');
  " 2>/dev/null
}

stamp="node_modules/.postguard-installed"
want="$(cat package.json package-lock.json | cksum | cut -d' ' -f1)-node$(node --version)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && check; then
  echo "install-pds: up to date ($(node -p "require('@atproto/pds/package.json').version"))"
  exit 0
fi

echo "install-pds: installing from package-lock.json (about a minute)"
start=$SECONDS
npm ci --nodedir="$NODEDIR" --no-audit --no-fund --loglevel=error
if ! check; then
  # Newer npm may hold back install scripts; build the native module explicitly.
  npm rebuild better-sqlite3 --nodedir="$NODEDIR" --loglevel=error
fi
check || die "installed, but the PDS does not load: run 'node -e \"require('@atproto/pds')\"' in scripts/pds to see why"
echo "$want" > "$stamp"
echo "install-pds: ready in $((SECONDS - start))s ($(node -p "require('@atproto/pds/package.json').version"))"
