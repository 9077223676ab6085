#!/usr/bin/env bash
# Recompiles the audit contract and rewrites the committed ABI and bytecode, so the Maven build never needs npm:
#   ledger-bridge/src/main/solidity/compile.sh
# It installs the pinned solc@0.8.28 (.ci/peers-npm/package-lock.json) through .ci/peers.sh into the git-ignored
# .ci/cache/ (the integration tests use the same install), then compiles with standard JSON, evmVersion shanghai,
# optimizer on (200 runs). The test CommittedContractMatchesSource fails if the committed files drift from the source.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(cd "$here/../../.." && pwd)"
solc="$("$module/../.ci/peers.sh" solc)"
node "$here/compile.js" "$solc" "$module/src/main/resources/io/covenant/ledger/evm"
