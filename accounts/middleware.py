import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts import oidc

logger = logging.getLogger(__name__)

# Pages a staff member without MFA may still open: allauth itself (to set up MFA or log out),
# the language switch and static files. Everything else, the admin included, waits for MFA.
_ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/health/")


class StaffMFARequiredMiddleware:
    """Staff and external partners (`User.must_use_mfa`) set up MFA before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_use_mfa
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not _has_mfa(request, user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)


def _has_mfa(request, user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    # A second factor done at the organisation's identity provider (its amr/acr claim) counts.
    idp = oidc.IdpSession.from_session(request.session)
    if idp is not None and idp.provider == settings.STAFF_IDP_PROVIDER_ID and idp.mfa:
        return True
    return is_mfa_enabled(user)


class IdentityProviderSessionMiddleware:
    """Two checks on sessions that came through a provider:

    - staff: every STAFF_OIDC_RECHECK_SECONDS the provider is asked whether the login still
      stands (userinfo, refreshing the token); a leaver's session ends at the next request
      after that. A provider that does not answer is asked again after the same interval.
    - parents, with PORTAL_REQUIRE_EIDAS_SUBSTANTIAL on: pages with a child's data
      (PORTAL_EIDAS_PATHS) need a DigiD login at Substantieel; others see the step-up page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        idp = oidc.IdpSession.from_session(request.session)
        if (
            idp is not None
            and idp.provider == settings.STAFF_IDP_PROVIDER_ID
            and time.time() - idp.checked_at >= settings.STAFF_OIDC_RECHECK_SECONDS
        ):
            ended = self._recheck(request, idp)
            if ended is not None:
                return ended
        if (
            settings.PORTAL_REQUIRE_EIDAS_SUBSTANTIAL
            and user.is_parent
            and request.path.startswith(tuple(settings.PORTAL_EIDAS_PATHS))
            and not (
                idp is not None and idp.provider == settings.DIGID_PROVIDER_ID and idp.substantial
            )
        ):
            return redirect(
                reverse("digid_step_up") + "?" + urlencode({"next": request.get_full_path()})
            )
        return self.get_response(request)

    def _recheck(self, request, idp):
        from privacy.services import record_security_event

        try:
            active, fresh = oidc.still_active(idp)
        except oidc.ProviderUnreachable as exc:
            logger.warning("Identity provider not reachable for a session re-check: %s", exc)
            oidc.IdpSession(**{**idp.__dict__, "checked_at": time.time()}).store(request.session)
            return None
        if active:
            fresh.store(request.session)
            return None
        record_security_event(
            kind="idp_session_ended",
            user=request.user,
            request=request,
            detail=f"{idp.provider}: refused at re-check",
        )
        logout(request)
        messages.info(
            request,
            _("You have been logged out: your organisation account no longer gives access."),
        )
        return redirect("account_login")
