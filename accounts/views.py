import time

from allauth.mfa.totp.views import ActivateTOTPView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import oidc
from accounts.exceptions import LoginRefused
from accounts.forms import DigiDCodeForm, DigiDCodeRequestForm, DigiDCreateForm, DigiDLinkForm
from accounts.models import User

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


# --- Logins through OpenID Connect (DigiD, the organisation's identity provider) --------------


@require_http_methods(["GET", "POST"])
def oidc_login(request, provider_id):
    """allauth's OpenID Connect login start, but a provider that does not answer (discovery
    fails) gives the Dutch "not reachable" page instead of a server error."""
    import requests
    from allauth.socialaccount.providers.openid_connect.views import login

    from accounts.adapters import idp_refused

    if request.method == "POST":
        # allauth's OpenID Connect provider sends no nonce; the portal adds one per login (as
        # the only extra authorization parameter: one a visitor put in the URL is dropped)
        # and the adapter checks it in the ID token that comes back.
        request.GET = request.GET.copy()
        request.GET["auth_params"] = urlencode({"nonce": oidc.new_nonce(request.session)})
    try:
        return login(request, provider_id)
    except (requests.RequestException, ValueError, KeyError) as exc:
        return idp_refused(
            request, provider=provider_id, reason="unreachable", detail=type(exc).__name__
        )


@require_http_methods(["GET", "POST"])
def oidc_callback(request, provider_id):
    """allauth's callback, but a provider that stops answering between the login and the
    token (allauth reads its discovery document outside its own error handling) gives the
    Dutch "not reachable" page instead of a server error."""
    import requests
    from allauth.socialaccount.providers.openid_connect.views import callback

    from accounts.adapters import idp_refused

    try:
        return callback(request, provider_id)
    except (requests.RequestException, ValueError, KeyError) as exc:
        return idp_refused(
            request, provider=provider_id, reason="unreachable", detail=type(exc).__name__
        )


FIRST_LOGIN_ERRORS = {
    "email_taken": gettext_lazy(
        'There is already an account with this e-mail address. Choose "I already have an '
        'account" and log in with its password.'
    ),
    "already_linked": gettext_lazy(
        "This account is already linked to another DigiD. Call us if this is not right."
    ),
    "digid_not_parent": gettext_lazy(
        "Staff accounts cannot be linked to DigiD. Log in with your organisation account."
    ),
    "wrong_password": gettext_lazy("The e-mail address or the password is not right."),
    "wrong_code": gettext_lazy(
        "This code is not right or no longer valid. Ask for a new code, or use your password."
    ),
}


def _pending_sociallogin(request):
    from allauth.socialaccount.models import SocialLogin

    pending = request.session.get(oidc.PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > oidc.PENDING_MAX_AGE:
        return None
    try:
        return SocialLogin.deserialize(pending["sociallogin"])
    except (KeyError, ValueError, TypeError):
        return None


def _finish_digid_login(request):
    """The DigiD pseudonym is now linked: let allauth log the parent in as on any later DigiD
    login (its login stages, signals and security events apply)."""
    from allauth.socialaccount.helpers import complete_social_login

    sociallogin = _pending_sociallogin(request)
    request.session.pop(oidc.PENDING_KEY, None)
    setattr(request, oidc.NONCE_CHECKED_ATTR, True)
    return complete_social_login(request, sociallogin)


@require_http_methods(["GET", "POST"])
def digid_first_login(request):
    """First DigiD login: link the DigiD to an existing account (after its password), or make
    a new account, with the JGZ's activation code when the family is already registered."""
    from accounts import services
    from bereik.exceptions import ActivationError
    from bereik.views import ACTIVATION_ERRORS
    from core import ratelimit

    sociallogin = _pending_sociallogin(request)
    if sociallogin is None:
        messages.info(request, _("Log in with DigiD again, please: that took too long."))
        return redirect("account_login")
    provider, uid = sociallogin.account.provider, sociallogin.account.uid
    action = request.POST.get("action")
    initial = {"email": request.user.email} if request.user.is_authenticated else None
    link_form = DigiDLinkForm(
        request.POST if action == "link" else None, initial=initial, prefix="link"
    )
    create_form = DigiDCreateForm(request.POST if action == "create" else None, prefix="create")
    code_request_form = DigiDCodeRequestForm(
        request.POST if action == "send_code" else None, prefix="mail"
    )
    code_form = DigiDCodeForm(request.POST if action == "link_code" else None, prefix="code")
    pending = request.session[oidc.PENDING_KEY]
    context = {
        "link_form": link_form,
        "create_form": create_form,
        "code_request_form": code_request_form,
        "code_form": code_form,
        "code_sent": "code" in pending,
    }
    if request.method == "GET":
        return render(request, "account/digid_first_login.html", context)
    if not ratelimit.hit(request, "digid_first_login"):
        form = link_form if action == "link" else create_form
        form.add_error(
            None,
            _("Too many tries. Wait %(minutes)s minutes or call us.")
            % {"minutes": ratelimit.wait_minutes("digid_first_login")},
        )
        return render(request, "account/digid_first_login.html", context, status=429)
    forms_by_action = {"link": link_form, "send_code": code_request_form, "link_code": code_form}
    try:
        if action == "send_code" and code_request_form.is_valid():
            sent = services.send_digid_link_code(email=code_request_form.cleaned_data["email"])
            # The same answer whether or not the address has an account.
            pending["code"] = {"user": sent[0], "hash": sent[1]} if sent else {}
            pending["code"]["at"], pending["code"]["tries"] = time.time(), 0
            request.session[oidc.PENDING_KEY] = pending
            context["code_sent"] = True
            return render(request, "account/digid_first_login.html", context)
        if action == "link_code" and code_form.is_valid():
            sent = pending.get("code") or {}
            sent["tries"] = sent.get("tries", 0) + 1
            request.session[oidc.PENDING_KEY] = pending
            fresh = time.time() - sent.get("at", 0) < services.DIGID_LINK_CODE_MINUTES * 60
            if not (
                sent.get("hash")
                and fresh
                and sent["tries"] <= 5
                and services.digid_link_code_matches(
                    code=code_form.cleaned_data["code"], digest=sent["hash"]
                )
            ):
                raise LoginRefused("wrong_code")
            user = User.objects.get(pk=sent["user"])
            services.link_digid(user=user, provider=provider, uid=uid)
            return _finish_digid_login(request)
        if action == "link" and link_form.is_valid():
            user = authenticate(
                request,
                email=link_form.cleaned_data["email"],
                password=link_form.cleaned_data["password"],
            )
            if user is None:
                raise LoginRefused("wrong_password")
            services.link_digid(user=user, provider=provider, uid=uid)
            return _finish_digid_login(request)
        if action == "create" and create_form.is_valid():
            services.create_parent_with_digid(
                email=create_form.cleaned_data["email"],
                activation_code=create_form.cleaned_data["activation_code"],
                provider=provider,
                uid=uid,
                request=request,
            )
            return _finish_digid_login(request)
    except LoginRefused as exc:
        form = forms_by_action.get(action, create_form)
        form.add_error(
            None, str(FIRST_LOGIN_ERRORS.get(exc.reason, FIRST_LOGIN_ERRORS["wrong_password"]))
        )
    except ActivationError as exc:
        create_form.add_error(
            "activation_code", str(ACTIVATION_ERRORS.get(exc.code, ACTIVATION_ERRORS["unknown"]))
        )
    return render(request, "account/digid_first_login.html", context, status=400)


@require_http_methods(["GET"])
def digid_step_up(request):
    """A page with a child's data asks for DigiD Substantieel (PORTAL_REQUIRE_EIDAS_SUBSTANTIAL)
    and this login is below it: say why and offer DigiD."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    idp = oidc.IdpSession.from_session(request.session)
    context = {
        "next": next_url,
        "digid_enabled": oidc.digid_enabled(),
        "had_digid": idp is not None and idp.provider == settings.DIGID_PROVIDER_ID,
    }
    return render(request, "account/digid_step_up.html", context)
