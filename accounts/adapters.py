import math
import time
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from outbox.services import queue_rendered

# allauth's limiter itself (its internal module: the public one cannot roll back or tell how long
# to wait); pyproject pins allauth below 66, and tests/accounts/test_login_throttle.py covers it.
RATE_LIMIT_APP = "allauth.account"
# Failed logins are counted per account ("login_failed", key = the e-mail address) and, apart
# from that, per address ("login_failed_address"). A try refused for a locked account does not
# count for the address, so one family mistyping behind a shared network locks out no other
# family; only guessing at many accounts from one address closes that address.
ACCOUNT_LIMIT = "login_failed"
ADDRESS_LIMIT = "login_failed_address"
# Setting up two-step verification for the first time within this long after typing the
# password (staff do it right after their first login, often after confirming their e-mail)
# does not ask for the password again; the staff idle timeout is the same quarter of an hour.
FIRST_MFA_SETUP_SECONDS = 15 * 60


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mails call the site ("Hallo van {{ site_name }}!"): the organisation and
    the host of SITE_URL. django.contrib.sites is not installed, so mails sent outside a request
    would otherwise say "Hallo van !"."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=settings.ORGANISATION_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def _seconds_until_allowed(request, action: str, key: str | None) -> int:
    """How long until the limit of `action` lets one more try through (0: not limited)."""
    wait = 0.0
    now = time.time()
    for rate in ratelimit.get_rates(app=RATE_LIMIT_APP, action=action):
        cache_key = ratelimit.get_cache_key(
            request, app=RATE_LIMIT_APP, action=action, rate=rate, key=key
        )
        history = cache.get(cache_key, [])  # newest first
        if len(history) >= rate.amount:
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(wait))


def _too_many(seconds: int, *, per_address: bool) -> forms.ValidationError:
    minutes = max(1, math.ceil(seconds / 60))
    if per_address:
        text = ngettext(
            "Too many failed logins from this network. Wait %(minutes)d minute and try again.",
            "Too many failed logins from this network. Wait %(minutes)d minutes and try again.",
            minutes,
        )
    else:
        text = ngettext(
            "Too many failed logins for this e-mail address. Wait %(minutes)d minute and "
            'try again, or choose "Forgot your password?".',
            "Too many failed logins for this e-mail address. Wait %(minutes)d minutes and "
            'try again, or choose "Forgot your password?".',
            minutes,
        )
    return forms.ValidationError(text % {"minutes": minutes}, code="too_many_login_attempts")


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        from core.languages import languages_for
        from families.services import create_family_for_parent

        # The language the parent signed up in is the language of their mail from then on.
        language = getattr(request, "LANGUAGE_CODE", "")
        if language in languages_for(None) and language != user.preferred_language:
            user.preferred_language = language
        user = super().save_user(request, user, form, commit=commit)
        if commit and user.is_parent:
            create_family_for_parent(parent=user)
        return user

    def send_mail(self, template_prefix, email, context):
        """allauth's mails go through the outbox too: retried, never silently dropped."""
        ctx = {"email": email, **context, "current_site": portal_site()}
        msg = self.render_mail(template_prefix, email, ctx)
        html = next(
            (body for body, mime in getattr(msg, "alternatives", []) if mime == "text/html"), ""
        )
        queue_rendered(
            to=email,
            subject=msg.subject,
            body_text=msg.body,
            body_html=html,
            kind=template_prefix.rsplit("/", 1)[-1],
            secret=True,  # password reset, e-mail confirmation and login codes
        )

    # Links in allauth's e-mails start with SITE_URL like every other mail of the portal, not
    # with whatever host the request came in on.
    def get_email_confirmation_url(self, request, emailconfirmation):
        return settings.SITE_URL + reverse("account_confirm_email", args=[emailconfirmation.key])

    def get_reset_password_from_key_url(self, key):
        # allauth's own way: the key is opaque ("<uidb36>-<token>"), put in place of UID-KEY.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))

    def pre_authenticate(self, request, **credentials):
        key = self._get_login_attempts_cache_key(request, **credentials)
        account = ratelimit.consume(request, app=RATE_LIMIT_APP, action=ACCOUNT_LIMIT, key=key)
        if account is None:
            raise _too_many(_seconds_until_allowed(request, ACCOUNT_LIMIT, key), per_address=False)
        address = ratelimit.consume(request, app=RATE_LIMIT_APP, action=ADDRESS_LIMIT)
        if address is None:
            account.rollback()
            raise _too_many(_seconds_until_allowed(request, ADDRESS_LIMIT, None), per_address=True)
        # Rolled back on a successful login (allauth's authenticate), so correct logins never
        # count; a brute force cannot reset the counters by mixing in its own good logins.
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(usage=account.usage + address.usage)

    def is_reauthentication_required(self, *, app=""):
        """allauth 65 counts only an explicit re-authentication, not the login itself, so a new
        staff member typed the password at login and again a minute later to set up TOTP."""
        if not super().is_reauthentication_required(app=app):
            return False
        request = context.request
        user = getattr(request, "user", None)
        if app != "allauth.mfa" or user is None or not user.is_authenticated:
            return True
        from allauth.mfa.utils import is_mfa_enabled

        if is_mfa_enabled(user):
            return True
        now = time.time()
        # A login through the organisation's identity provider counts like the password.
        return not any(
            record.get("method") in ("password", "socialaccount")
            and now - record["at"] < FIRST_MFA_SETUP_SECONDS
            for record in get_authentication_records(request, user)
        )

    def get_login_redirect_url(self, request):
        if request.user.is_jgz_staff:
            return reverse("staff_home")
        return reverse("home")

    def send_password_reset_mail(self, user, email, context):
        """Staff linked to the organisation's identity provider have no portal password: a
        reset mail would give them one beside the provider (and past a leaver's removal)."""
        from accounts.selectors import uses_staff_identity_provider

        if uses_staff_identity_provider(user=user):
            return None
        return super().send_password_reset_mail(user, email, context)

    def get_logout_redirect_url(self, request):
        """After a login through a provider, logging out also ends the provider's session
        (RP-initiated logout) when the provider offers it. Runs before the logout."""
        from accounts import oidc

        idp = oidc.IdpSession.from_session(request.session) if hasattr(request, "session") else None
        if idp is not None and request.user.is_authenticated:
            url = oidc.end_session_url(
                idp.provider, post_logout_redirect_uri=request.build_absolute_uri(reverse("home"))
            )
            if url:
                return url
        return super().get_logout_redirect_url(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """DigiD (parents) and the organisation's identity provider (staff), both through allauth's
    OpenID Connect provider. Accounts are linked or made by accounts.services, never by
    allauth's own social sign-up or by a matching e-mail address."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        from accounts import oidc
        from accounts.services import sign_in_staff_from_idp

        provider = sociallogin.account.provider
        claims = oidc.claims_of(sociallogin.account.extra_data)
        id_token = sociallogin.account.extra_data.get("id_token") or {}
        _keep_only_needed_claims(sociallogin, claims)
        try:
            # A first DigiD login finished after the parent's choice was checked on its way in.
            already_checked = getattr(request, oidc.NONCE_CHECKED_ATTR, False)
            if not already_checked and not oidc.use_nonce(request.session, id_token.get("nonce")):
                raise oidc.Refusal("nonce")
            if sociallogin.state.get("process") == "connect":
                raise oidc.Refusal("connect")
            if provider == settings.STAFF_IDP_PROVIDER_ID:
                user, account = sign_in_staff_from_idp(
                    provider=provider, uid=sociallogin.account.uid, claims=claims
                )
                sociallogin.user, sociallogin.account = user, account
            elif provider == settings.DIGID_PROVIDER_ID:
                if not sociallogin.is_existing:
                    request.session[oidc.PENDING_KEY] = {
                        "at": time.time(),
                        "sociallogin": sociallogin.serialize(),
                    }
                    raise ImmediateHttpResponse(redirect("digid_first_login"))
                if not sociallogin.user.is_parent:
                    raise oidc.Refusal("digid_not_parent")
            else:
                raise oidc.Refusal("unknown_provider")
        except oidc.Refusal as refusal:
            raise ImmediateHttpResponse(
                idp_refused(
                    request,
                    provider=provider,
                    reason=refusal.reason,
                    detail=refusal.detail,
                    email=str(claims.get("email") or ""),
                )
            ) from refusal

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        import requests

        extra_context = extra_context or {}
        # The provider's own answer first: a "deny" may come back without the state.
        provider_error = request.GET.get("error", "")
        if error == "cancelled" or provider_error == "access_denied":
            reason = "cancelled"
        elif provider_error:
            reason = "provider_error"
        elif "state_id" in extra_context and "state" not in extra_context:
            reason = "state"
        elif isinstance(exception, requests.HTTPError) and _is_client_error(exception):
            reason = "token"  # the provider refused our token (expired, revoked)
        elif isinstance(exception, requests.RequestException):
            reason = "unreachable"
        elif exception is not None:
            reason = "token"
        else:
            reason = "provider_error"
        detail = f"{type(exception).__name__}: {exception}" if exception is not None else ""
        detail = detail or provider_error[:50]
        raise ImmediateHttpResponse(
            idp_refused(
                request, provider=getattr(provider, "sub_id", ""), reason=reason, detail=detail
            )
        )


def _is_client_error(exception) -> bool:
    response = getattr(exception, "response", None)
    return response is not None and 400 <= response.status_code < 500


# Claims kept with the link (allauth stores them on the social account): the pseudonym and the
# login's level, for staff also name, address and roles. A broker that sends more (a BSN) does
# not get it stored.
_KEPT_CLAIMS = {
    "digid": ("sub", "acr", "iss"),
    "organisatie": ("sub", "acr", "amr", "iss", "email", "name", "given_name", "family_name"),
}


def _keep_only_needed_claims(sociallogin, claims: dict) -> None:
    from allauth.socialaccount.models import SocialAccount

    keep = _KEPT_CLAIMS.get(sociallogin.account.provider, ("sub",))
    if sociallogin.account.provider == settings.STAFF_IDP_PROVIDER_ID:
        keep = (*keep, settings.STAFF_OIDC_ROLES_CLAIM)
    kept = {"id_token": {k: claims[k] for k in keep if k in claims}}
    sociallogin.account.extra_data = kept
    if sociallogin.account.pk:
        SocialAccount.objects.filter(pk=sociallogin.account.pk).update(extra_data=kept)


def idp_refused(request, *, provider: str, reason: str, detail: str = "", email: str = ""):
    """The Dutch page for a refused or failed login through a provider, logged as a security
    event. Never a server error, and nothing half-made: services roll back before this."""
    from accounts.oidc import IDP_ERROR_STATUS
    from privacy.services import record_security_event

    record_security_event(
        kind="idp_refused", email=email, request=request, detail=f"{provider}: {reason} {detail}"
    )
    return render(
        request,
        "account/idp_error.html",
        {
            "reason": reason,
            "provider": provider,
            "is_digid": provider == settings.DIGID_PROVIDER_ID,
        },
        status=IDP_ERROR_STATUS.get(reason, 400),
    )
