from django.shortcuts import redirect
from django.urls import reverse

# Pages a staff member without MFA may still open: allauth itself (to set up MFA or log out),
# the language switch and static files. Everything else, the admin included, waits for MFA.
_ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/health/")


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_jgz_staff
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not _has_mfa(user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)


def _has_mfa(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)
