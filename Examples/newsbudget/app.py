"""newsbudget: a tiny newsroom budget app, served on a Unix socket.

Standard library only, so a release's virtualenv needs nothing from the
network. GET /health answers 200 when the app can write its log; GET /
shows the release it runs from. The release id is the name of the release
directory the app was started from, so a health check proves which release
is live.
"""
import http.server
import os
import socketserver
import sys
import time

RELEASE_DIR = os.path.dirname(os.path.realpath(__file__))
RELEASE = os.path.basename(RELEASE_DIR)
# deployer's built-in maintenance flag (`deployer maintenance ENV on`, `push --maintenance`).
MAINTENANCE_FLAG = os.path.join(RELEASE_DIR, "..", "..", "shared", "maintenance.on")
MAINTENANCE_PAGE = "<!doctype html><title>Back soon</title><h1>newsbudget is being updated</h1><p>Back in a minute.</p>\n"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/health" and os.path.exists(MAINTENANCE_FLAG):
            # The health check still answers: a push in maintenance mode checks the new release.
            data = MAINTENANCE_PAGE.encode()
            self.send_response(503)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Retry-After", "30")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if self.path == "/health":
            body = f"ok {RELEASE}\n"
        elif self.path == "/":
            stories = open(os.path.join(RELEASE_DIR, "budget.txt")).read()
            build = open(os.path.join(RELEASE_DIR, "BUILD_INFO")).read()
            body = f"newsbudget release {RELEASE}, {build}\n{stories}"
        else:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        with open(LOG, "a") as log:
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {RELEASE} {fmt % args}\n")

    def address_string(self):
        return "unix"


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if __name__ == "__main__":
    socket_path, LOG = sys.argv[1], sys.argv[2]
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    with Server(socket_path, Handler) as server:
        server.serve_forever()
