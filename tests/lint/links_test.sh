#!/usr/bin/env bash
# The link graph keeps the layers: the stateless binaries (the gateway and
# parleyctl) carry no RocksDB, neither as a shared library (ldd) nor linked
# in statically (Debian's RocksDB CMake package links librocksdb.a, so ldd
# alone would never see it: no rocksdb:: symbol may be defined). A domain
# service must have it, so the check is known to see RocksDB where it is.
#
#   tests/lint/links_test.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: links_test.sh BUILD_DIR}
failed=0

rocksdb_in() {
  local binary=$1
  if ldd "$binary" | grep -q librocksdb; then
    echo "shared librocksdb"
    return
  fi
  local symbols
  symbols=$(nm -C --defined-only "$binary" | grep -c ' rocksdb::' || true) # grep -c exits 1 on none
  ((symbols > 0)) && echo "$symbols rocksdb:: symbols"
  return 0
}

check() {
  local binary=$build/$1 want=$2 found
  if [[ ! -x $binary ]]; then
    echo "FAIL $1: not built"
    failed=1
    return
  fi
  found=$(rocksdb_in "$binary")
  if [[ $want == none && -n $found ]]; then
    echo "FAIL $1 links RocksDB ($found): it must not open a store"
    failed=1
  elif [[ $want == some && -z $found ]]; then
    echo "FAIL $1: no RocksDB found, so this check cannot see it"
    failed=1
  else
    echo "ok   $1: ${found:-no RocksDB}"
  fi
}

check services/gateway/parley-gateway none
check tools/parleyctl/parleyctl none
check services/exchanges/parley-exchanges some
check services/negotiations/parley-negotiations some
check services/incidents/parley-incidents some
exit $failed
