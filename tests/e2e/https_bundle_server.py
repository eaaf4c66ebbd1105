#!/usr/bin/env python3
"""A real HTTPS server on 127.0.0.1 for update tests: serves one file with an ETag and
answers If-None-Match with 304, like a production bundle server behind a CDN.

Used as a library by bundle_updates.py: make_certificate() creates a self-signed
certificate for 127.0.0.1 with openssl; BundleServer(dir, cert, key) serves
<dir>/phiguard.bundle and counts requests; stop() and start() simulate an outage.
"""
import hashlib
import http.server
import os
import ssl
import subprocess
import threading


def make_certificate(directory):
    cert, key = os.path.join(directory, 'server.pem'), os.path.join(directory, 'server.key')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
                    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
                    '-keyout', key, '-out', cert], check=True, capture_output=True)
    return cert, key


class BundleServer:
    def __init__(self, directory, cert, key):
        self.directory, self.cert, self.key = directory, cert, key
        self.requests, self.not_modified = 0, 0
        self.port = None
        self._httpd = None

    @property
    def url(self):
        return f'https://127.0.0.1:{self.port}/phiguard.bundle'

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                server.requests += 1
                path = os.path.join(server.directory, 'phiguard.bundle')
                if self.path != '/phiguard.bundle' or not os.path.exists(path):
                    self.send_error(404)
                    return
                with open(path, 'rb') as f:
                    body = f.read()
                etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                if self.headers.get('If-None-Match') == etag:
                    server.not_modified += 1
                    self.send_response(304)
                    self.send_header('ETag', etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header('ETag', etag)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def start(self):
        httpd = http.server.ThreadingHTTPServer(('127.0.0.1', self.port or 0), self._handler())
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        self.port = httpd.server_address[1]
        self._httpd = httpd
        threading.Thread(target=httpd.serve_forever, daemon=True).start()

    def stop(self):
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
