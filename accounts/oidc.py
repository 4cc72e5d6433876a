"""Logins through OpenID Connect: DigiD via a broker (parents) and the organisation's own
identity provider (staff). allauth's `openid_connect` provider runs the authorization-code flow
with PKCE and checks the ID token (issuer, audience, expiry); this module reads what came back
and talks to the provider after the login (userinfo re-checks, RP-initiated logout).

No BSN is read or stored: DigiD brokers hand out a pseudonymous `sub` per client.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache

from accounts.exceptions import LoginRefused

logger = logging.getLogger(__name__)

# What the session remembers about a login through a provider (set at login, see signals).
SESSION_KEY = "accounts_idp"
# A first DigiD login waiting for the parent's choice (link, create, activation code).
PENDING_KEY = "accounts_digid_pending"
PENDING_MAX_AGE = 15 * 60
# Nonces of logins started in this session (a few, for several tabs), each used once.
NONCES_KEY = "accounts_oidc_nonces"
MAX_NONCES = 5
NONCE_CHECKED_ATTR = "accounts_oidc_nonce_checked"


# The answer's status per reason: the provider not answering is the provider's fault (503),
# a cancelled login or a refused role the visitor's situation (403), the rest a bad request.
IDP_ERROR_STATUS = {
    "unreachable": 503,
    "cancelled": 403,
    "no_role": 403,
    "unknown_role": 403,
    "role_refused": 403,
    "inactive": 403,
    "email_is_parent": 403,
    "digid_not_parent": 403,
}


# Raised by the services for a refused login (accounts.exceptions.LoginRefused).
Refusal = LoginRefused


def new_nonce(session) -> str:
    nonce = secrets.token_urlsafe(24)
    session[NONCES_KEY] = [*session.get(NONCES_KEY, [])[-(MAX_NONCES - 1) :], nonce]
    return nonce


def use_nonce(session, nonce: str | None) -> bool:
    """True once for a nonce this session sent; the nonce is then used up."""
    nonces = list(session.get(NONCES_KEY, []))
    if not nonce or nonce not in nonces:
        return False
    nonces.remove(nonce)
    session[NONCES_KEY] = nonces
    return True


def digid_enabled() -> bool:
    return bool(settings.DIGID_OIDC_ISSUER and settings.DIGID_OIDC_CLIENT_ID)


def staff_idp_enabled() -> bool:
    return bool(settings.STAFF_OIDC_ISSUER and settings.STAFF_OIDC_CLIENT_ID)


def claims_of(extra_data: dict) -> dict:
    """The ID token's claims, completed by userinfo (the ID token wins: it is signed)."""
    return {**(extra_data.get("userinfo") or {}), **(extra_data.get("id_token") or {})}


def is_substantial(acr: str | None) -> bool:
    return bool(acr) and acr in settings.DIGID_SUBSTANTIAL_ACR


def roles_from_claims(claims: dict) -> tuple[list[str], list[str]]:
    """The portal roles the provider's role claim maps to, and the values that mapped to none.

    The claim may be a list or one string (some providers send a single group as a string)."""
    raw = claims.get(settings.STAFF_OIDC_ROLES_CLAIM) or []
    if isinstance(raw, str):
        raw = [raw]
    mapped, unknown = [], []
    for value in raw:
        role = settings.STAFF_OIDC_ROLE_MAP.get(str(value))
        if role:
            if role not in mapped:
                mapped.append(role)
        else:
            unknown.append(str(value))
    return mapped, unknown


def provider_did_mfa(claims: dict) -> bool:
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if any(str(method) in settings.STAFF_OIDC_MFA_AMR for method in amr):
        return True
    return bool(claims.get("acr")) and claims.get("acr") in settings.STAFF_OIDC_MFA_ACR


@dataclass(frozen=True)
class IdpSession:
    """What a session remembers of the provider login (stored as a dict in the session)."""

    provider: str
    acr: str = ""
    substantial: bool = False
    mfa: bool = False
    access_token: str = ""
    refresh_token: str = ""
    checked_at: float = 0.0

    @classmethod
    def from_session(cls, session) -> IdpSession | None:
        data = session.get(SESSION_KEY)
        if not isinstance(data, dict) or "provider" not in data:
            return None
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def store(self, session) -> None:
        session[SESSION_KEY] = dict(self.__dict__)


# --- Talking to the provider after the login -----------------------------------------------------


def _issuer(provider_id: str) -> str:
    if provider_id == settings.DIGID_PROVIDER_ID:
        return settings.DIGID_OIDC_ISSUER
    return settings.STAFF_OIDC_ISSUER


def _client(provider_id: str) -> tuple[str, str]:
    if provider_id == settings.DIGID_PROVIDER_ID:
        return settings.DIGID_OIDC_CLIENT_ID, settings.DIGID_OIDC_CLIENT_SECRET
    return settings.STAFF_OIDC_CLIENT_ID, settings.STAFF_OIDC_CLIENT_SECRET


def discovery(provider_id: str) -> dict:
    """The provider's discovery document, cached for ten minutes. Raises requests'
    exceptions when the provider cannot be reached."""
    issuer = _issuer(provider_id)
    key = f"accounts-oidc-discovery:{issuer}"
    found = cache.get(key)
    if found is None:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT_SECONDS
        )
        response.raise_for_status()
        found = response.json()
        cache.set(key, found, 600)
    return found


def end_session_url(provider_id: str, *, post_logout_redirect_uri: str) -> str | None:
    """RP-initiated logout: the provider's end-session URL, or None when it has none or
    cannot be reached (the portal session is ended either way)."""
    try:
        endpoint = discovery(provider_id).get("end_session_endpoint")
    except (requests.RequestException, ValueError):
        logger.warning("Provider %s not reachable for logout", provider_id)
        return None
    if not endpoint:
        return None
    client_id, _secret = _client(provider_id)
    query = urlencode(
        {"client_id": client_id, "post_logout_redirect_uri": post_logout_redirect_uri}
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


class ProviderUnreachable(Exception):
    pass


def still_active(idp: IdpSession) -> tuple[bool, IdpSession]:
    """Ask the provider whether this staff login still stands: userinfo with the access token,
    refreshing it once when it was refused. Returns (active, session data to keep).

    False: the provider refused the token and its refresh (account disabled, tokens revoked,
    session ended) or no longer gives a portal role. Raises ProviderUnreachable when the
    provider did not answer (the caller decides how long to trust the last answer)."""
    try:
        config = discovery(idp.provider)
        response = requests.get(
            config["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {idp.access_token}"},
            timeout=settings.OIDC_TIMEOUT_SECONDS,
        )
        if response.status_code in (401, 403) and idp.refresh_token:
            idp = _refresh(idp, config)
            if idp is None:
                return False, None
            response = requests.get(
                config["userinfo_endpoint"],
                headers={"Authorization": f"Bearer {idp.access_token}"},
                timeout=settings.OIDC_TIMEOUT_SECONDS,
            )
        if response.status_code in (400, 401, 403):
            return False, idp
        response.raise_for_status()
        claims = response.json()
    except (requests.RequestException, ValueError, KeyError) as exc:
        raise ProviderUnreachable(str(exc)) from exc
    mapped, _unknown = roles_from_claims(claims)
    if settings.STAFF_OIDC_ROLES_CLAIM in claims and not mapped:
        return False, idp
    return True, IdpSession(**{**idp.__dict__, "checked_at": time.time()})


def _refresh(idp: IdpSession, config: dict) -> IdpSession | None:
    client_id, secret = _client(idp.provider)
    response = requests.post(
        config["token_endpoint"],
        data={"grant_type": "refresh_token", "refresh_token": idp.refresh_token},
        auth=(client_id, secret),
        timeout=settings.OIDC_TIMEOUT_SECONDS,
    )
    if response.status_code in (400, 401, 403):
        return None
    response.raise_for_status()
    tokens = response.json()
    return IdpSession(
        **{
            **idp.__dict__,
            "access_token": tokens["access_token"],
            "refresh_token": tokens.get("refresh_token") or idp.refresh_token,
        }
    )
