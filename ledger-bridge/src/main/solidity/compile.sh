#!/usr/bin/env bash
# Recompiles the audit contract and rewrites the committed ABI and bytecode, so the Maven build never needs npm:
#   ledger-bridge/src/main/solidity/compile.sh
# It installs the pinned solc@0.8.28 (src/test/evm-node/package-lock.json) with `npm ci` into ledger-bridge/.evm-node/
# (git-ignored; the integration tests use the same folder), then compiles with standard JSON, evmVersion shanghai,
# optimizer on (200 runs). The test CommittedContractMatchesSource fails if the committed files drift from the source.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(cd "$here/../../.." && pwd)"
cache="$module/.evm-node"
mkdir -p "$cache"
if ! cmp -s "$module/src/test/evm-node/package-lock.json" "$cache/package-lock.json" || [ ! -d "$cache/node_modules/solc" ]; then
  cp "$module/src/test/evm-node/package.json" "$module/src/test/evm-node/package-lock.json" "$cache/"
  (cd "$cache" && npm ci --ignore-scripts --no-audit --no-fund)
fi
node "$here/compile.js" "$cache/node_modules/solc" "$module/src/main/resources/io/covenant/ledger/evm"
