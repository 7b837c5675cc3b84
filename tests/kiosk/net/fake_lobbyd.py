#!/usr/bin/env python3
"""A stand-in for lobbyd with just the endpoints kiosk_net uses, for
debugging the network thread without the real server.  The scenario tests
(net_scenarios.sh) run against the real lobbyd; this exists so kiosk_net
can be exercised while lobbyd is unavailable.

    fake_lobbyd.py PORT KIOSK_TOKEN ADMIN_TOKEN
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Condition()
state = {"version": 1, "notices": [], "repairs": {}, "order": []}


def feed():
    return {"version": "v%d" % state["version"],
            "server_time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
            "site": {"name": "demo", "service_phone": "400"},
            "notices": state["notices"], "emergency": None, "directory": []}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=None, headers=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def token(self):
        auth = self.headers.get("Authorization", "")
        return auth[7:] if auth.startswith("Bearer ") else ""

    def body(self):
        n = int(self.headers.get("Content-Length", "0"))
        return json.loads(self.rfile.read(n) or b"null")

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/api/v1/feed":
            if self.token() != KIOSK:
                return self.reply(401, {"error": {"code": "unauthorized"}})
            wait = 0
            for part in query.split("&"):
                if part.startswith("wait="):
                    wait = int(part[5:])
            inm = self.headers.get("If-None-Match")
            deadline = time.time() + wait
            with lock:
                while inm == "v%d" % state["version"] and time.time() < deadline:
                    lock.wait(deadline - time.time())
                if inm == "v%d" % state["version"]:
                    return self.reply(304, None, {"ETag": inm})
                return self.reply(200, feed(), {"ETag": "v%d" % state["version"]})
        if path == "/api/v1/repairs":
            if self.token() != ADMIN:
                return self.reply(403, {"error": {"code": "forbidden"}})
            with lock:
                return self.reply(200, {"repairs": [state["repairs"][k] for k in state["order"]]})
        return self.reply(404, {"error": {"code": "not_found"}})

    def do_POST(self):
        body = self.body()
        if self.path == "/api/v1/kiosks/heartbeat":
            return self.reply(200, {"server_time": "now"})
        if self.path == "/api/v1/repairs":
            key = self.headers.get("Idempotency-Key")
            if not key:
                return self.reply(400, {"error": {"code": "missing_idempotency_key"}})
            if body.get("description") == "reject me":
                return self.reply(400, {"error": {"code": "invalid_field", "field": "description"}})
            with lock:
                if key not in state["repairs"]:
                    state["order"].append(key)
                    state["repairs"][key] = {"ticket": "R-20261126-%04d" % len(state["order"]),
                                             "status": "submitted"}
                return self.reply(201, state["repairs"][key])
        if self.path == "/api/v1/notices":
            with lock:
                state["version"] += 1
                state["notices"].append(body)
                lock.notify_all()
            return self.reply(201, {"id": len(state["notices"])})
        return self.reply(404, {"error": {"code": "not_found"}})


if __name__ == "__main__":
    PORT, KIOSK, ADMIN = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
