"""What the session remembers of a login through DigiD or the organisation's provider."""

import time

from django.conf import settings

from accounts import oidc


def remember_idp_login(sender, request, user, **kwargs):
    """allauth's user_logged_in: after a provider login keep its level (DigiD's `acr`), the
    provider's MFA and, for staff, the tokens the session re-check uses; after any other login
    forget what an earlier provider login left in the same session."""
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None or request is None:
        if request is not None:
            request.session.pop(oidc.SESSION_KEY, None)
        return
    if isinstance(sociallogin, dict):  # serialized across a login stage (MFA)
        from allauth.socialaccount.models import SocialLogin

        sociallogin = SocialLogin.deserialize(sociallogin)
    provider = sociallogin.account.provider
    claims = oidc.claims_of(sociallogin.account.extra_data)
    acr = str(claims.get("acr") or "")
    is_staff_idp = provider == settings.STAFF_IDP_PROVIDER_ID
    token = sociallogin.token
    oidc.IdpSession(
        provider=provider,
        acr=acr,
        substantial=provider == settings.DIGID_PROVIDER_ID and oidc.is_substantial(acr),
        mfa=is_staff_idp and oidc.provider_did_mfa(claims),
        access_token=token.token if (is_staff_idp and token) else "",
        refresh_token=(token.token_secret or "") if (is_staff_idp and token) else "",
        checked_at=time.time(),
    ).store(request.session)
