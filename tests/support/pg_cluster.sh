#!/bin/sh
# A throwaway PostgreSQL for the tests: a new cluster in a temporary
# directory, owned by an unprivileged user (initdb refuses root, and CI
# runs as root), listening on a free loopback port, trusting local
# connections.  Debian's `postgresql` package provides the binaries.
#
#   pg_cluster.sh start DIR   prints the server's base URL
#                             (postgresql://lobby@127.0.0.1:PORT)
#   pg_cluster.sh stop DIR    stops it and removes DIR
#   pg_cluster.sh createdb URL NAME   creates database NAME, prints its URL
#   pg_cluster.sh pause DIR   stops the server, keeping its data (an outage)
#   pg_cluster.sh resume DIR  starts it again on the same port
set -eu

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  echo "pg_cluster: no PostgreSQL server binaries (apt-get install postgresql)" >&2
  exit 1
}

# Runs a command as the cluster's owner: root hands it to nobody.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Room for many lobbyd instances (8 pooled connections and two more
# each) and for the benchmarks' clients.
run_server() {
  as_owner "$(bindir)/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$2 -c unix_socket_directories=$1 \
        -c max_connections=300 -c shared_buffers=64MB" >/dev/null 2>&1
}

start() {
  dir=$1
  bin=$(bindir)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U lobby --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if run_server "$dir" "$port"; then
      echo "$port" >"$dir/port"
      echo "postgresql://lobby@127.0.0.1:$port"
      return 0
    fi
  done
  echo "pg_cluster: PostgreSQL did not start; its log:" >&2
  cat "$dir/server.log" >&2
  exit 1
}

stop() {
  dir=$1
  bin=$(bindir)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

pause() {
  as_owner "$(bindir)/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null
}

resume() {
  run_server "$1" "$(cat "$1/port")" || { cat "$1/server.log" >&2; exit 1; }
}

createdb() {
  url=$1 name=$2
  psql -X -q -v ON_ERROR_STOP=1 "$url/postgres" -c "CREATE DATABASE \"$name\"" >/dev/null
  echo "$url/$name"
}

case "${1:-}" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  createdb) createdb "$2" "$3" ;;
  pause) pause "$2" ;;
  resume) resume "$2" ;;
  *) echo "usage: pg_cluster.sh start DIR | stop DIR | createdb URL NAME | pause DIR | resume DIR" >&2; exit 2 ;;
esac
