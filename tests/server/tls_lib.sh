# Certificates for the TLS tests, made at test time with openssl:
#
#   . tls_lib.sh ; tls_ca DIR NAME             # DIR/NAME.crt, DIR/NAME.key: a CA
#   tls_server_cert DIR CA NAME SERIAL         # DIR/NAME.crt, DIR/NAME.key signed by CA
#                                              # for 127.0.0.1 and localhost
#   tls_serial HOST:PORT CAFILE                # the serial a new connection is served ("1001")
#
# P-256 keys: quick to make, and what an installer's certtool or openssl
# makes by default today.

tls_ca() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=Lobby test CA $2" -keyout "$1/$2.key" -out "$1/$2.crt" 2>>"$1/openssl.log"
}

tls_server_cert() {
  local dir=$1 ca=$2 name=$3 serial=$4
  printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'basicConstraints=CA:FALSE' \
    'keyUsage=digitalSignature' 'extendedKeyUsage=serverAuth' > "$dir/$name.ext"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>>"$dir/openssl.log" &&
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$ca.crt" -CAkey "$dir/$ca.key" \
    -set_serial "0x$serial" -days 2 -extfile "$dir/$name.ext" -out "$dir/$name.crt" \
    2>>"$dir/openssl.log" &&
  chmod 600 "$dir/$name.key"
}

tls_serial() {
  openssl s_client -connect "$1" -CAfile "$2" -verify_return_error </dev/null 2>/dev/null |
    openssl x509 -noout -serial 2>/dev/null | sed 's/^serial=//'
}

# tls_pin KEYFILE: curl's pin of the key's public half, sha256//BASE64.
tls_pin() {
  printf 'sha256//%s' "$(openssl pkey -in "$1" -pubout -outform DER | openssl dgst -sha256 -binary |
    openssl base64 -A)"
}

# tls_lobbyd_start SERIAL: with server_lib.sh's srv_init done, a CA "ca",
# another "other" and a server certificate "srv" (SERIAL) in $C, their pins
# in $PIN and $OTHER_PIN, an admin $TOKEN, and lobbyd serving HTTPS with
# them on $PORT.  Exits the test when any step fails.
tls_lobbyd_start() {
  C="$WORK/certs"
  mkdir -p "$C"
  tls_ca "$C" ca && tls_ca "$C" other && tls_server_cert "$C" ca srv "$1" ||
    { echo "cannot make certificates"; cat "$C/openssl.log"; exit 1; }
  PIN=$(tls_pin "$C/srv.key")
  OTHER_PIN=$(tls_pin "$C/other.key")
  printf '[server]\ndatabase = %s\n[tls]\ncert = %s\nkey = %s\n' \
    "$WORK/lobby.db" "$C/srv.crt" "$C/srv.key" > "$WORK/lobbyd.ini"
  TOKEN=$("$LOBBYD" admin-token --db "$WORK/lobby.db" --name admin 2>>"$WORK/log") ||
    { echo "admin-token failed"; cat "$WORK/log"; exit 1; }
  srv_start -- --config "$WORK/lobbyd.ini" || { echo "lobbyd did not start"; cat "$WORK/log"; exit 1; }
}
