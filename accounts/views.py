from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib import messages
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

NEXT_SESSION_KEY = "accounts_mfa_next"


class ActivateTOTPThenContinueView(ActivateTOTPView):
    """allauth's TOTP set-up, but afterwards the staff member lands where they were going (the
    `next` the MFA middleware sent along), not on the recovery codes page. The codes stay one
    click away (account page), and the message says so."""

    def get(self, request, *args, **kwargs):
        next_url = request.GET.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            # allauth's form posts to its own URL without the query string: keep it aside.
            request.session[NEXT_SESSION_KEY] = next_url
        return super().get(request, *args, **kwargs)

    def get_success_url(self) -> str:
        next_url = self.request.session.pop(NEXT_SESSION_KEY, "")
        if not next_url:
            return super().get_success_url()
        if self.did_generate_recovery_codes:
            messages.info(
                self.request,
                _(
                    "Two-step verification is on. Save your recovery codes: you find them "
                    "under My account, Two-step verification."
                ),
            )
        return next_url


activate_totp = ActivateTOTPThenContinueView.as_view()
