# The shipped deploy/nginx/lobby.conf for the server tests, pointed at the
# test's lobbyd instances, certificate ($WORK/certs) and free ports, inside
# a minimal nginx.conf (Debian's includes it from http{}).
#
#   . nginx_lib.sh ; start_nginx PORT [PORT...]   # one upstream server line per lobbyd port
#   sets $NGINX_PID, $HTTPS_PORT, $HTTP_PORT; exits the test if nginx -t refuses or nginx never answers
NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null) || { echo "SKIP: no nginx"; exit 77; }
NGINX_PID=

# The upstream's server line, once per port, with its parameters kept.
nginx_upstreams() {
  local port lines=""
  for port in "$@"; do lines="$lines    server 127.0.0.1:$port \\1\\n"; done
  printf '%s' "${lines%\\n}"
}

start_nginx() {
  local attempt servers
  servers=$(nginx_upstreams "$@")
  for attempt in 1 2 3 4 5 6; do
    HTTPS_PORT=$((20000 + RANDOM % 40000))
    HTTP_PORT=$((HTTPS_PORT + 1))
    sed -e "s|^    server 127.0.0.1:8080 \(.*\)|$servers|" \
        -e "s|listen 443 ssl;|listen 127.0.0.1:$HTTPS_PORT ssl;|" \
        -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
        -e '/listen \[::\]/d' \
        -e "s|/etc/lobby/tls/lobbyd.crt|$WORK/certs/server.crt|" \
        -e "s|/etc/lobby/tls/lobbyd.key|$WORK/certs/server.key|" \
        "$HERE/../../deploy/nginx/lobby.conf" > "$WORK/lobby.conf"
    cat > "$WORK/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  include $WORK/lobby.conf;
}
CONF
    "$NGINX" -t -c "$WORK/nginx.conf" >> "$WORK/nginx.err" 2>&1 ||
      { echo "FAIL: nginx -t refuses the example:"; cat "$WORK/nginx.err"; exit 1; }
    "$NGINX" -c "$WORK/nginx.conf" 2>> "$WORK/nginx.err" &
    NGINX_PID=$!
    for _ in $(seq 1 50); do
      curl -s -o /dev/null --cacert "$WORK/certs/ca.crt" "https://127.0.0.1:$HTTPS_PORT/healthz" && return 0
      kill -0 "$NGINX_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null
  done
  echo "FAIL: nginx did not start:"; cat "$WORK/nginx.err"; exit 1
}
