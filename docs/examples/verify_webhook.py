#!/usr/bin/env python3
"""A Vigil webhook receiver that checks every request's Standard Webhooks signature and handles
each alert once, however often it is delivered. Python 3.9+, standard library only.

    export VIGIL_WEBHOOK_SECRET=whsec_...          # two secrets, space-separated, during a rotation
    python3 verify_webhook.py --port 8090          # receive alerts at http://127.0.0.1:8090/
    python3 verify_webhook.py --check ID TIMESTAMP SIGNATURE BODY_FILE   # exit 0 if authentic, 1 if not
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import sys
import time

TOLERANCE_SECONDS = 5 * 60  # reject requests signed longer ago (or later) than this: replay protection


def keys():
    """The HMAC keys: each secret is 'whsec_' followed by the base64 of the key."""
    return [base64.b64decode(s.removeprefix("whsec_")) for s in os.environ["VIGIL_WEBHOOK_SECRET"].split()]


def verify(msg_id, timestamp, signatures, body, now=None):
    """True when one 'v1,<base64>' entry of the webhook-signature header is the HMAC-SHA256 of
    'id.timestamp.body' under one of the keys, and the timestamp is recent."""
    if not msg_id or not timestamp or not signatures:
        return False
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - sent) > TOLERANCE_SECONDS:
        return False
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = [base64.b64encode(hmac.new(k, signed, hashlib.sha256).digest()) for k in keys()]
    for entry in signatures.split():
        version, _, signature = entry.partition(",")
        if version == "v1" and any(hmac.compare_digest(signature.encode(), e) for e in expected):
            return True
    return False


seen = set()  # webhook-ids already handled; a real receiver keeps them in its database


class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep connections open between alerts, as the sender expects

    def answer(self, status):
        self.send_response(status)
        if status != 204:  # a 204 has no body by definition, and no Content-Length
            self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        msg_id = self.headers.get("webhook-id")
        if not verify(msg_id, self.headers.get("webhook-timestamp"), self.headers.get("webhook-signature"), body):
            self.answer(401)
            return
        if msg_id not in seen:  # a retry or a redelivery carries the same webhook-id: handle it once
            seen.add(msg_id)
            alert = json.loads(body)
            data = alert["data"]
            print(f"ALERT {data['topic']} {data['level']} ({data['transition']}) id {alert['id']}", flush=True)
        self.answer(204)  # acknowledge duplicates too, or Vigil keeps retrying them

    def log_message(self, *args):
        pass


def main(argv):
    if len(argv) == 6 and argv[1] == "--check":
        with open(argv[5], "rb") as f:
            return 0 if verify(argv[2], argv[3], argv[4], f.read()) else 1
    if len(argv) == 3 and argv[1] == "--port":
        keys()  # fail now, not on the first request, when the secret is missing or malformed
        server = http.server.ThreadingHTTPServer(("127.0.0.1", int(argv[2])), Receiver)
        print(f"listening on http://127.0.0.1:{argv[2]}/", flush=True)
        server.serve_forever()
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
