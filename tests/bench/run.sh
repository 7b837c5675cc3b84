#!/usr/bin/env bash
# The benchmark suite: builds a release tree, runs every part (each bounded
# in time), prints one Markdown report and writes it to run/bench.md.
# Not part of the test command.
#
#   tests/bench/run.sh
#
# Part 6 (pg_bench.sh) is PostgreSQL's: repairs on SQLite next to
# PostgreSQL, wake-up of 20,000 kiosks over two instances, the feed's 304
# through nginx to two instances.
#
# Parts 4 to 5 are the kiosk's (each script's header says exactly what it
# measures and how; packages they need are installed by name with apt when
# missing: chromium, nodejs, jq, curl, and for 4b xvfb, x11-utils, x11-apps,
# netpbm):
#   4   kiosk_vs_chromium.sh      lobby-kiosk and Chromium with no display
#                                 server (SDL's offscreen driver, Chromium
#                                 --headless): start-up, peak RSS and PSS,
#                                 idle CPU of the process tree
#   4b  kiosk_vs_chromium_x11.sh  both windowed fullscreen on an Xvfb
#                                 1080x1920 the script starts (the kiosk once
#                                 per SDL renderer, Chromium --kiosk): idle
#                                 CPU of the tree and of Xvfb, PSS, the
#                                 kiosk's CPU per thread, the GL stack loaded
#   5   kiosk_frames.sh           frame p50/p99 on every screen at 1080x1920
#                                 with the software renderer
# 4 and 4b print Chromium ÷ kiosk against the goal (idle CPU ≥ 10×, PSS
# ≥ 8×) and 5 each screen's p99 against 4 ms, with ok/MISS.  Their
# environment (ROUNDS, SETTLE_S, IDLE_S, RENDERERS, FRAMES, STEP_FRAMES) is
# passed through (ROUNDS defaults to 5 in 4, to 1 in 4b).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)
deploy/install-deps.sh >/dev/null
for p in wrk nginx; do
  command -v "$p" >/dev/null || { apt-get install -y -qq wrk nginx-light >/dev/null; break; }
done
build="$top/build-bench"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
# Only what the suite runs, which is quicker than the whole tree.
cmake --build "$build" -j "$(nproc)" --target lobbyd lobbyctl lobby-kiosk longpoll_bench repair_bench repair_list_bench >/dev/null
mkdir -p run
report="$top/run/bench.md"
ulimit -n "$(ulimit -Hn)"

{
  echo "# Lobby benchmarks"
  echo
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)," \
       "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr);" \
       "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "## 1. Conditional feed polling against nginx"
  echo
  timeout 900 tests/bench/feed_vs_nginx.sh "$build/sbin/lobbyd" 3 5
  echo
  echo "## 2. Wake-up latency of long-polling kiosks (notice posted to every kiosk)"
  echo
  timeout 300 "$build/tests/bench/longpoll_bench" 100 1000 2000 5000
  echo
  echo "## 3. Repair submissions with durable commits (synchronous=FULL)"
  echo
  timeout 120 "$build/tests/bench/repair_bench" 10 1 16
  echo
  echo "## 3a. The repair desk at 100,000 tickets: a page and its counts (goal p99 <= 50 ms)"
  echo
  timeout 900 "$build/tests/bench/repair_list_bench" 100000 200
  echo
  echo "## 3b. One kiosk token against the kiosk limits (wrong pass codes, new visits)"
  echo
  timeout 120 tests/bench/guess_bench.sh "$build/sbin/lobbyd" 5
  echo
  echo "## 3c. The feed's 304 path under a sign-in flood (Argon2 checks on the password pool)"
  echo
  timeout 300 tests/bench/signin_bench.sh "$build/sbin/lobbyd" 20 40
  echo
  echo "## 6. PostgreSQL and several lobbyd instances"
  echo
  timeout 2400 tests/bench/pg_bench.sh "$build" 20000 10
  if [ -x tests/bench/kiosk_vs_chromium.sh ] && [ -x "$build/bin/lobby-kiosk" ]; then
    echo
    timeout 900 tests/bench/kiosk_vs_chromium.sh "$build"
  fi
  if [ -x tests/bench/kiosk_vs_chromium_x11.sh ] && [ -x "$build/bin/lobby-kiosk" ]; then
    echo
    timeout 1800 tests/bench/kiosk_vs_chromium_x11.sh "$build"
  fi
  if [ -x tests/bench/kiosk_frames.sh ] && [ -x "$build/bin/lobby-kiosk" ]; then
    echo
    timeout 600 tests/bench/kiosk_frames.sh "$build"
  fi
} | tee "$report"
echo
echo "written to $report"
