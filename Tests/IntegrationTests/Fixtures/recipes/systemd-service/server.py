"""A service for the systemd-service recipe's test: answers every GET on a
Unix socket with the name of the release it was started from (standard
library only)."""
import http.server
import os
import socketserver
import sys

RELEASE = os.path.basename(os.path.dirname(os.path.realpath(__file__)))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"demo {RELEASE} pid {os.getpid()}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def address_string(self):
        return "unix"


class Server(socketserver.UnixStreamServer):
    def server_bind(self):
        if os.path.exists(self.server_address):
            os.unlink(self.server_address)
        super().server_bind()


if __name__ == "__main__":
    with Server(sys.argv[1], Handler) as server:
        server.serve_forever()
