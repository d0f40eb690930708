"""A stand-in for a chat or pager webhook, for the notification tests: an HTTP
server on 127.0.0.1 (a free port, printed on the first line of standard
output) that appends each POST to the file named by its argument as one JSON
line {"path": ..., "body": ...}. A path starting with /fail answers 500; one
starting with /slow answers after 120 s. Standard library only."""
import http.server
import json
import sys
import time

RECORD = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        if self.path.startswith("/slow"):
            time.sleep(120)
        with open(RECORD, "a") as record:
            record.write(json.dumps({"path": self.path, "body": body}) + "\n")
        status = 500 if self.path.startswith("/fail") else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *arguments):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
