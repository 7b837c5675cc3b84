#!/usr/bin/env python3
"""A tiny fake lobbyd for tests/kiosk/hostile_feed.sh.

    hostile_server.py DIRECTORY_JSON [FEED_NAME]

Prints "listening on 127.0.0.1:PORT".  Each feed request gets the next feed
of FEEDS (long-polls are held a moment first); the last one is then served
for good, 304 when the kiosk already has it.  Hostile feeds that carry a
correct version (10,000 notices, a 1 MB string, deep nesting, wrong types)
test that the kiosk shows them sanely; bad UTF-8, nesting beyond the JSON
parser's depth and a body that does not hash to its version test that it
refuses them.  Between refused feeds a plain one resets the kiosk's
back-off.  The first POST of a repair gets a 201 whose body is cut short;
the retry with the same Idempotency-Key gets the ticket.  Every request is
logged on stdout ("FEED n NAME", "REPAIR key").  With FEED_NAME only the
first plain feed and then that one are served.
"""
import hashlib
import http.server
import json
import sys
import time

SITE = {"name": "Lobby", "service_phone": "400-000-0000"}
BUILDING = {"code": "1", "name": "1号楼", "requires_approval": False}


def notice(i, title, body="正文", **kw):
    n = {"id": i, "title": title, "body": body, "category": "other", "priority": 0,
         "pinned": False, "emergency": False, "starts_at": "2026-12-02T10:00:00+08:00",
         "ends_at": None, "updated_at": "2026-12-02T10:00:00+08:00"}
    n.update(kw)
    return n


def version(content):
    """lobby_feed_version: BLAKE2b-64 of the compact, key-sorted content."""
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def feed(directory, notices, **over):
    content = {"site": SITE, "building": BUILDING, "notices": notices, "emergency": None,
               "directory": directory}
    content.update(over)
    body = dict(content)
    body["server_time"] = "2026-12-02T10:00:00+08:00"
    body["kiosk"] = {"name": "lobby-1", "building": "1", "group": "east"}
    body["version"] = version(content)
    return body["version"], json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def deep(n):
    return "[" * n + "]" * n


def build_feeds(directory):
    feeds = []

    def add(name, pair):
        feeds.append((name, pair[0], pair[1]))

    def plain(k):
        add("plain%d" % k, feed(directory, [notice(1, "正常通知 %d" % k)]))

    plain(0)
    add("10000_notices", feed(directory, [notice(i, "通知 %d" % i, "内容 %d" % i) for i in range(10000)]))
    add("1mb_string", feed(directory, [notice(1, "长" * (1 << 20), "x" * (1 << 20))],
                           site={"name": "S" * (1 << 20), "service_phone": "9" * 1000}))
    add("1mb_emergency", feed(directory, [notice(1, "普通")],
                              emergency=notice(9, "紧急" * 1000, "急" * (1 << 20), emergency=True),
                              site={"name": "Lobby", "service_phone": "9" * 1000}))
    add("wrong_types", feed(directory, [notice("x", 42, ["body"], category=7, priority="high",
                                               pinned="yes", emergency={}, starts_at=5, ends_at=[]),
                                        "not a notice", None, 3.5],
                            emergency="fire", site=[], building="1"))
    add("wrong_shape", feed("directory", {"notices": "object"}, site=None, building=None))
    add("deep_inside", feed(directory, [notice(1, "深层", deep_value=json.loads(deep(500)))]))
    # Refused: bad UTF-8 (the parser rejects it), nesting past the parser's
    # depth, and a body whose content does not hash to its version.
    ver, body = feed(directory, [notice(1, "坏编码 XX")])
    add("bad_utf8", (ver, body.replace(b"XX", b"\xff\xfe")))
    plain(1)
    ver, body = feed(directory, [notice(1, "太深")])
    add("too_deep", (ver, body.replace(b'"notices":[', b'"notices":[' + deep(100000).encode() + b",", 1)))
    plain(2)
    ver, body = feed(directory, [notice(1, "被篡改的通知")])
    add("damaged", (ver, body.replace("被篡改的通知".encode(), "改过的通知啊".encode())))
    add("last", feed(directory, [notice(1, "最后的正常通知"), notice(2, "第二条")]))
    return feeds


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", etag=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if etag:
            self.send_header("ETag", '"%s"' % etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        srv = self.server
        if not self.path.startswith("/api/v1/feed"):
            return self.reply(404, b'{"error":{"code":"not_found","message":"no"}}')
        if self.headers.get("If-None-Match"):
            time.sleep(0.5)
        i = min(srv.next_feed, len(srv.feeds) - 1)
        name, ver, body = srv.feeds[i]
        if i == len(srv.feeds) - 1 and self.headers.get("If-None-Match") == '"%s"' % ver:
            return self.reply(304, etag=ver)
        srv.next_feed += 1
        print("FEED %d %s" % (i, name), flush=True)
        self.reply(200, body, etag=ver)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        if self.path == "/api/v1/repairs":
            key = self.headers.get("Idempotency-Key", "")
            print("REPAIR %s" % key, flush=True)
            self.server.repairs += 1
            if self.server.repairs == 1:
                return self.reply(201, b'{"ticket":"R-2026')
            return self.reply(201, b'{"ticket":"R-20261202-0042","status":"submitted"}')
        self.reply(200, b"{}")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        directory = json.load(f)["buildings"]
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.feeds = build_feeds(directory)
    if len(sys.argv) > 2:
        srv.feeds = [srv.feeds[0]] + [f for f in srv.feeds if f[0] == sys.argv[2]]
    srv.next_feed = 0
    srv.repairs = 0
    for i, (name, ver, body) in enumerate(srv.feeds):
        print("VERSION %d %s %s %d" % (i, name, ver, len(body)), flush=True)
    print("listening on 127.0.0.1:%d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
