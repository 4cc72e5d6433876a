"""Spryng (Amsterdam) REST API v1: https://rest.spryngsms.com/v1, bearer API key, JSON.

- `POST /messages` with encoding, body, route, originator, recipients (digits, no plus) and
  our `reference`; 200 answers the message with its `id`.
- `GET /messages?filters[reference]=…` lists messages with that reference: asked before a
  retry, so a message the provider accepted while our request timed out is not sent again.

Uses the standard library's HTTP client (certificates verified against the system's CAs).
"""

import http.client
import json
import logging
import socket
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings

from sms.backends.base import BaseSmsBackend, SmsMessage
from sms.exceptions import ProviderRefused, ProviderUnavailable, ProviderUncertain

logger = logging.getLogger(__name__)


class SmsBackend(BaseSmsBackend):
    def __init__(self):
        self.base_url = settings.SMS_SPRYNG_URL.rstrip("/")
        if not self.base_url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ValueError("SMS_SPRYNG_URL must use https")
        self.api_key = settings.SMS_SPRYNG_API_KEY
        self.route = settings.SMS_SPRYNG_ROUTE
        self.timeout = settings.SMS_TIMEOUT

    def send(self, message: SmsMessage) -> str:
        payload = {
            "encoding": "auto",
            "body": message.body,
            "route": self.route,
            "originator": message.sender,
            "recipients": [message.to.lstrip("+")],
            "reference": message.reference,
        }
        status, data = self._request("POST", "/messages", payload)
        if 200 <= status < 300:
            return str(data.get("id") or "")
        if status == 429 or status >= 500:
            raise ProviderUnavailable(f"Spryng answered {status}")
        raise ProviderRefused(f"Spryng refused the message: {status} {data}"[:500])

    def find(self, reference: str) -> str | None:
        query = urlencode({"filters[reference]": reference})
        status, data = self._request("GET", f"/messages?{query}")
        if status != 200:
            raise ProviderUnavailable(f"Spryng answered {status} to the reference lookup")
        for item in data.get("data") or []:
            if item.get("reference") == reference:
                return str(item.get("id") or reference)
        return None

    def _request(self, method: str, path: str, payload: dict | None = None) -> tuple[int, dict]:
        if not self.api_key:
            raise ProviderRefused("SMS_SPRYNG_API_KEY is not set")
        request = Request(  # noqa: S310 - the scheme is checked in __init__
            self.base_url + path,
            method=method,
            data=json.dumps(payload).encode() if payload is not None else None,
            headers={
                "Authorization": f"Bearer {self.api_key}",
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, _json(response.read())
        except HTTPError as exc:
            return exc.code, _json(exc.read())
        except URLError as exc:
            # No connection: nothing reached the provider. A timeout inside URLError came
            # after connecting, while the request may already have been read.
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise ProviderUncertain(f"no answer from Spryng: {exc.reason}") from exc
            raise ProviderUnavailable(f"cannot reach Spryng: {exc.reason}") from exc
        except (TimeoutError, http.client.HTTPException, ConnectionError) as exc:
            raise ProviderUncertain(f"no answer from Spryng: {exc!r}") from exc


def _json(raw: bytes) -> dict:
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
