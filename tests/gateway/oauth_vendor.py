#!/usr/bin/env python3
"""tests/gateway/oauth_vendor.py: an OAuth 2.0 vendor for gateway/rotation.sh.

In front of the Lever emulator: POST /token takes the refresh grant and
rotates the refresh token on every use (the one used stops working, as
vendors that rotate do); any other request needs a Bearer access token
issued here and is passed on to the emulator with its API key.

Usage: oauth_vendor.py PORT_FILE LEVER_URL API_KEY FIRST_REFRESH_TOKEN LOG
Writes the port it listens on to PORT_FILE; one line per token request to
LOG: "<grant> <refresh token sent> <answer status>". While a file LOG.slow
exists, token answers take two seconds.
"""
import base64
import http.server
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

port_file, lever_url, api_key, first_refresh, log_path = sys.argv[1:6]
upstream = urllib.parse.urlsplit(lever_url)
lock = threading.Lock()
state = {"refresh": first_refresh, "n": 0, "access": set()}


def log(line):
    with open(log_path, "a") as f:
        f.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def token(self):
        form = urllib.parse.parse_qs(self.body().decode())
        grant = form.get("grant_type", [""])[0]
        sent = form.get("refresh_token", [""])[0]
        if os.path.exists(log_path + ".slow"):
            time.sleep(2)
        with lock:
            if grant != "refresh_token" or sent != state["refresh"]:
                log("%s %s 400" % (grant, sent))
                return self.answer(400, '{"error": "invalid_grant"}')
            state["n"] += 1
            n = state["n"]
            state["refresh"] = "rt-%d" % (n + 1)
            access = "at-%d" % n
            state["access"].add(access)
            log("%s %s 200" % (grant, sent))
        self.answer(200, '{"access_token": "%s", "token_type": "Bearer", "expires_in": 3600,'
                    ' "refresh_token": "%s"}' % (access, state["refresh"]))

    def relay(self):
        if self.path == "/token" and self.command == "POST":
            return self.token()
        auth = self.headers.get("Authorization", "")
        with lock:
            ok = auth.startswith("Bearer ") and auth[7:] in state["access"]
        body = self.body()
        if not ok:
            return self.answer(401, '{"code": "UnauthorizedError", "message": "bad token"}')
        url = "%s://%s%s" % (upstream.scheme, upstream.netloc, self.path)
        req = urllib.request.Request(url, data=body if body else None, method=self.command)
        for k, v in self.headers.items():
            if k.lower() not in ("authorization", "host", "content-length", "connection"):
                req.add_header(k, v)
        basic = base64.b64encode(("%s:" % api_key).encode()).decode()
        req.add_header("Authorization", "Basic " + basic)
        try:
            with urllib.request.urlopen(req) as r:
                status, data, ctype = r.status, r.read(), r.headers.get("Content-Type")
        except urllib.error.HTTPError as e:
            status, data, ctype = e.code, e.read(), e.headers.get("Content-Type")
        self.answer(status, data, ctype or "application/json")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = relay


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
