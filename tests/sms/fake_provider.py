"""A local stand-in for the Spryng REST API, started by the tests (the real API cannot be
reached from the test machines). Speaks what `sms.backends.spryng` uses:

- `POST /v1/messages` (bearer key, JSON) -> 200 {"id", "reference", ...}
- `GET /v1/messages?filters[reference]=X` -> 200 {"total", "data": [...]}

Tests script failures: `fail_next` (status codes for the next POSTs) and `stall_after_accept`
(store the next message, then answer too late for the client's timeout).
"""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

API_KEY = "test-api-key"


@dataclass
class FakeSpryng:
    server: ThreadingHTTPServer
    messages: list[dict] = field(default_factory=list)
    posts: int = 0
    lookups: int = 0
    fail_next: list[int] = field(default_factory=list)
    stall_after_accept: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def wait_for(self, count: int, timeout: float = 60) -> list[dict]:
        from tests.conftest_worker import wait_until

        wait_until(lambda: len(self.messages) >= count, timeout=timeout)
        with self.lock:
            return list(self.messages)


def start() -> FakeSpryng:
    fake: FakeSpryng

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, status: int, data: dict) -> None:
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _authorised(self) -> bool:
            if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                self._answer(401, {"message": "Unauthenticated."})
                return False
            return True

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length) or b"{}")
            if not self._authorised():
                return
            with fake.lock:
                fake.posts += 1
                status = fake.fail_next.pop(0) if fake.fail_next else 200
                stall, fake.stall_after_accept = fake.stall_after_accept, 0.0
                if status == 200:
                    if not payload.get("originator") or not payload.get("recipients"):
                        status = 422
                    else:
                        message = {"id": str(uuid.uuid4()), **payload}
                        fake.messages.append(message)
            if stall:
                time.sleep(stall)
            if status == 200:
                self._answer(200, message)
            else:
                self._answer(status, {"message": "scripted failure"})

        def do_GET(self):
            if not self._authorised():
                return
            query = parse_qs(urlparse(self.path).query)
            reference = (query.get("filters[reference]") or [""])[0]
            with fake.lock:
                fake.lookups += 1
                found = [m for m in fake.messages if m.get("reference") == reference]
            self._answer(200, {"total": len(found), "data": found})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake = FakeSpryng(server=server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake


@pytest.fixture
def spryng(settings):
    """The Spryng backend pointed at a fake provider for this test (import it in a conftest)."""
    fake = start()
    settings.SMS_BACKEND = "sms.backends.spryng.SmsBackend"
    settings.SMS_SPRYNG_URL = fake.url
    settings.SMS_SPRYNG_API_KEY = API_KEY
    settings.SMS_TIMEOUT = 1
    settings.SMS_SENDER_ID = "JGZ Utrecht"
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
