"""A real OpenID Connect provider process for tests (oidc-provider-mock on a free port), and
the settings that point the portal's DigiD and staff logins at it."""

from __future__ import annotations

import copy
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

BIN = Path(sys.executable).with_name("oidc-provider-mock")
DIGID_CLIENT = "ouderportaal-digid"
STAFF_CLIENT = "ouderportaal-medewerkers"
LOA_SUBSTANTIAL = "urn:etoegang:core:assurance-class:loa3"
LOA_BASIC = "urn:etoegang:core:assurance-class:loa2"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    def __init__(self, *extra_args: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(  # noqa: S603 - our own test binary
            [str(BIN), "--port", str(self.port), *extra_args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{self.url}/.well-known/openid-configuration", timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("oidc-provider-mock did not start") from None
                time.sleep(0.1)

    def set_user(self, sub: str, **claims) -> None:
        requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5).raise_for_status()

    def revoke_tokens(self, sub: str) -> None:
        requests.post(f"{self.url}/users/{sub}/revoke-tokens", timeout=5).raise_for_status()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def configure(settings, issuer: str, *, digid: bool = True, staff: bool = True) -> None:
    """Point the portal's settings at `issuer` (as settings.py does from the environment)."""
    apps = []
    settings.DIGID_OIDC_ISSUER = issuer if digid else ""
    settings.DIGID_OIDC_CLIENT_ID = DIGID_CLIENT if digid else ""
    settings.STAFF_OIDC_ISSUER = issuer if staff else ""
    settings.STAFF_OIDC_CLIENT_ID = STAFF_CLIENT if staff else ""
    settings.STAFF_OIDC_RECHECK_SECONDS = 3600
    if digid:
        apps.append(
            {
                "provider_id": "digid",
                "name": "DigiD",
                "client_id": DIGID_CLIENT,
                "secret": "digid-secret",
                "settings": {
                    "server_url": issuer,
                    "scope": ["openid"],
                    "auth_params": {"acr_values": LOA_SUBSTANTIAL},
                    "oauth_pkce_enabled": True,
                },
            }
        )
    if staff:
        apps.append(
            {
                "provider_id": "organisatie",
                "name": "organisatie-account",
                "client_id": STAFF_CLIENT,
                "secret": "staff-secret",
                "settings": {
                    "server_url": issuer,
                    "scope": ["openid", "profile", "email"],
                    "oauth_pkce_enabled": True,
                },
            }
        )
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = ["'self'", issuer]
    settings.CONTENT_SECURITY_POLICY = policy
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": apps}
    }
