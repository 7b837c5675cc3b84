#!/usr/bin/env bash
# Slow clients against lobbyd (issue 11): 10,000 sockets each sending a
# byte every 10 s, from one address and from 10,000 addresses, in plain
# HTTP and over TLS, while a normal client asks /healthz every 100 ms.
# Prints one line per case: normal requests served, p50/p99/max latency.
#
#   tests/bench/slow_clients_bench.sh [BUILD_DIR] [SLOW] [SECONDS]
#
# BUILD_DIR (default build) must hold lobbyd and slow_clients_bench.
# MAX_CONNECTIONS in the environment sets lobbyd's max_connections (10000).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
slow=${2:-10000}
seconds=${3:-30}
max=${MAX_CONNECTIONS:-10000}
lobbyd="$build/sbin/lobbyd"
bench="$build/tests/bench/slow_clients_bench"
# The bench holds every slow socket and lobbyd as many: both need room.
ulimit -n "$(ulimit -Hn)"
tmp=$(mktemp -d /tmp/lobby-slowbench-certs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$here/../server/tls_lib.sh"
tls_ca "$tmp" ca && tls_server_cert "$tmp" ca server 1001
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
for mode in one many; do
  "$bench" "$lobbyd" "$mode" "$slow" "$seconds" "$max"
  "$bench" "$lobbyd" "$mode" "$slow" "$seconds" "$max" "$tmp/server.crt" "$tmp/server.key" "$tmp/ca.crt"
done
