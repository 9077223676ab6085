#!/usr/bin/env bash
# Installs one pinned peer implementation for the integration tests and prints the absolute path of its program.
#
#   .ci/peers.sh kubo|geth|cluster-service|cluster-ctl|anvil|hardhat|solc
#
# The test fixtures (storage's TestIpfsNode and IpfsClusterPeers, ledger-bridge's EvmTestNode) call this on first use;
# it can also be run by hand to build ahead of a test run. Go programs are built with `go build` from the module source
# the Go module proxy serves (with the GOCACHE and GOMODCACHE of the environment); npm programs (and the Solidity
# compiler that ledger-bridge/src/main/solidity/compile.sh uses) come from npm with the lock file in .ci/peers-npm/.
# Everything lands in the git-ignored .ci/cache/ folder and is reused while the pinned version stays the same. A failed build leaves nothing half-installed:
# run the same command again to retry, or delete .ci/cache/ to start over.
set -euo pipefail

KUBO_VERSION=v0.43.1                # github.com/ipfs/kubo
GETH_VERSION=v1.17.10               # github.com/ethereum/go-ethereum
CLUSTER_VERSION=v1.1.5              # github.com/ipfs-cluster/ipfs-cluster

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.ci/cache"
mkdir -p "$cache"

fail() {
  echo "peers.sh: $*" >&2
  exit 1
}

# One installer per program at a time (two test modules, or two test runs, may ask at once).
lock() {
  exec 9>"$cache/.$1.lock"
  flock 9
}

go_tool() { # name module version package... : builds the module's packages as the main module, so its own go.mod rules
  local name=$1 module=$2 version=$3
  shift 3
  local dir="$cache/go-bin/$name-$version"
  local retry=$name
  [ "$name" = cluster ] && retry=cluster-service
  lock "$name"
  if [ -f "$dir/.built" ]; then
    echo "$dir"
    return
  fi
  command -v go >/dev/null || fail "building $name $version needs the Go toolchain (1.26 or newer) on the PATH; install it and run '.ci/peers.sh $retry' again"
  local partial="$dir.partial" log="$cache/go-bin/$name-$version.log"
  rm -rf "$partial"
  mkdir -p "$partial"
  local started=$SECONDS
  echo "peers.sh: building $module@$version (several minutes the first time; log: $log)" >&2
  # Not `go install module/cmd@version`: that refuses a module whose go.mod has replace directives (Kubo's has one),
  # so the module's source is taken from the module proxy and built in place, where those directives apply.
  local info src
  local nosumdb=""
  # The checksum database has no entry for this IPFS Cluster release (it answers 404), so only this one module's own
  # checksum goes unchecked; every dependency it pulls in is still verified.
  [ "$name" = cluster ] && nosumdb="$module"
  if ! info="$(GONOSUMDB="$nosumdb" GOTOOLCHAIN=local go mod download -json "$module@$version" 2>"$log")"; then
    printf '%s\n' "$info" >>"$log"
    rm -rf "$partial"
    fail "go mod download $module@$version failed (log: $log):
$(tail -n 30 "$log")
Check that the Go module proxy is reachable, then run '.ci/peers.sh $retry' again."
  fi
  src="$(printf '%s\n' "$info" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [ -d "$src" ] || fail "go mod download $module@$version did not name a source folder; run '.ci/peers.sh $retry' again"
  cp -r "$src" "$partial/src"
  chmod -R u+w "$partial/src"
  local goflags=-buildvcs=false
  if [ "$name" = kubo ]; then
    # Kubo v0.43.1 replaces go-libp2p with a personal fork that the Go module proxy does not serve. Build it against
    # the upstream go-libp2p it requires (v0.49.0) and the QUIC libraries that release was made with; -mod=mod lets
    # go build record their checksums (verified against the checksum database like any download).
    (cd "$partial/src" && go mod edit -dropreplace github.com/libp2p/go-libp2p \
      -require github.com/quic-go/quic-go@v0.60.0 -require github.com/quic-go/webtransport-go@v0.11.1) >>"$log" 2>&1
    goflags="$goflags -mod=mod"
  fi
  if [ "$name" = cluster ]; then
    # IPFS Cluster v1.1.5 pins a cockroachdb/swiss (via pebble) that reaches into the Go runtime and has no build for
    # Go 1.26; the newer one supports it. -mod=mod lets go build record its checksum.
    (cd "$partial/src" && go mod edit -require github.com/cockroachdb/swiss@v0.0.0-20260820225851-333444432258) >>"$log" 2>&1
    goflags="$goflags -mod=mod"
  fi
  if ! (cd "$partial/src" && GONOSUMDB="$nosumdb" GOFLAGS="$goflags" GOTOOLCHAIN=local go build -trimpath -o "$partial/" "$@" >>"$log" 2>&1); then
    rm -rf "$partial"
    fail "go build of $module@$version failed (log: $log):
$(tail -n 30 "$log")
Check that the Go module proxy is reachable, then run '.ci/peers.sh $retry' again."
  fi
  rm -rf "$partial/src"
  echo "$module@$version built by .ci/peers.sh in $((SECONDS - started)) s" >"$partial/.built"
  rm -rf "$dir"
  mv "$partial" "$dir"
  echo "peers.sh: built $name $version in $((SECONDS - started)) s" >&2
  echo "$dir"
}

npm_tools() { # prints the folder holding node_modules for the pinned npm peers
  local spec="$root/.ci/peers-npm" dir="$cache/npm-peers"
  lock npm-peers
  if [ -f "$dir/.installed" ] && cmp -s "$spec/package-lock.json" "$dir/package-lock.json"; then
    echo "$dir"
    return
  fi
  command -v npm >/dev/null || fail "installing the npm peers (anvil, hardhat) needs Node.js 20 or newer with npm on the PATH; install them and run this again"
  local partial="$dir.partial"
  rm -rf "$partial"
  mkdir -p "$partial"
  cp "$spec/package.json" "$spec/package-lock.json" "$partial/"
  echo "peers.sh: installing anvil, hardhat and solc with npm ci (log: $partial/npm-ci.log)" >&2
  if ! (cd "$partial" && npm ci --no-audit --no-fund --loglevel=error >npm-ci.log 2>&1); then
    local out
    out="$(tail -n 30 "$partial/npm-ci.log")"
    rm -rf "$partial"
    fail "npm ci for .ci/peers-npm/package-lock.json failed:
$out
Check that the npm registry is reachable, then run the command again."
  fi
  touch "$partial/.installed"
  rm -rf "$dir"
  mv "$partial" "$dir"
  echo "$dir"
}

case "${1:-}" in
  kubo) dir="$(go_tool kubo github.com/ipfs/kubo "$KUBO_VERSION" ./cmd/ipfs)" && echo "$dir/ipfs" ;;
  geth) dir="$(go_tool geth github.com/ethereum/go-ethereum "$GETH_VERSION" ./cmd/geth)" && echo "$dir/geth" ;;
  cluster-service) dir="$(go_tool cluster github.com/ipfs-cluster/ipfs-cluster "$CLUSTER_VERSION" ./cmd/ipfs-cluster-service ./cmd/ipfs-cluster-ctl)" && echo "$dir/ipfs-cluster-service" ;;
  cluster-ctl) dir="$(go_tool cluster github.com/ipfs-cluster/ipfs-cluster "$CLUSTER_VERSION" ./cmd/ipfs-cluster-service ./cmd/ipfs-cluster-ctl)" && echo "$dir/ipfs-cluster-ctl" ;;
  anvil)
    dir="$(npm_tools)"
    bin="$dir/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
    [ -x "$bin" ] || fail "npm installed @foundry-rs/anvil-linux-amd64 but $bin is missing or not executable; delete $dir and run again"
    echo "$bin"
    ;;
  hardhat)
    dir="$(npm_tools)"
    cli="$dir/node_modules/hardhat/internal/cli/cli.js"
    [ -f "$cli" ] || fail "npm installed hardhat but $cli is missing; delete $dir and run again"
    # Hardhat takes its project root from its config file and wants hardhat installed there: keep it beside node_modules.
    cp "$root/.ci/peers-npm/hardhat.config.js" "$dir/hardhat.config.js"
    echo "$cli"
    ;;
  solc)
    dir="$(npm_tools)"
    [ -f "$dir/node_modules/solc/soljson.js" ] || fail "npm installed solc but $dir/node_modules/solc/soljson.js is missing; delete $dir and run again"
    echo "$dir/node_modules/solc"
    ;;
  *) fail "usage: .ci/peers.sh kubo|geth|cluster-service|cluster-ctl|anvil|hardhat|solc" ;;
esac
