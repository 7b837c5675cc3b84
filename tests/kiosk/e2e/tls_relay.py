#!/usr/bin/env python3
"""A TCP relay in front of lobbyd that logs the first byte of every
connection, so a test can prove each one began with a TLS handshake
record (0x16) and nothing was sent in clear.

    tls_relay.py TARGET_PORT PORT_FILE LOG_FILE

It listens on a free loopback port, writes that port to PORT_FILE, and
appends one line per connection to LOG_FILE: the first byte in hex (or
"eof" when the client sent nothing)."""
import os
import socket
import sys
import threading


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client, target_port, log, lock):
    first = b""
    try:
        first = client.recv(1)
    except OSError:
        pass
    with lock:
        log.write((first.hex() if first else "eof") + "\n")
        log.flush()
    if not first:
        client.close()
        return
    upstream = socket.create_connection(("127.0.0.1", target_port))
    upstream.sendall(first)
    threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
    pump(client, upstream)


def main():
    target_port, port_file, log_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    lock = threading.Lock()
    log = open(log_file, "a")
    with open(port_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, target_port, log, lock), daemon=True).start()


if __name__ == "__main__":
    main()
