"""Request middleware: client address for the access log, idle timeout, Permissions-Policy,
no caching of logged-in pages."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.client import client_ip, current_ip

# The stored name predates the core app; kept so live sessions keep their timer.
SESSION_KEY = "privacy_last_activity"
# Writing the session on every request costs a save per page; a minute of slack is harmless.
_TOUCH_EVERY_SECONDS = 60


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


def idle_timeout_for(user) -> int:
    if user.must_use_mfa:
        return settings.SESSION_IDLE_TIMEOUT_STAFF
    return settings.SESSION_IDLE_TIMEOUT_PARENT


class IdleSessionTimeoutMiddleware:
    """Log out a user who did nothing for the role's idle timeout (staff 15, parents 60 min)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SESSION_KEY)
            if last is not None and now - int(last) > idle_timeout_for(user):
                logout(request)
                messages.info(
                    request, _("You were logged out because you were inactive for a while.")
                )
                return redirect(reverse("account_login") + "?" + urlencode({"next": request.path}))
            if last is None or now - int(last) >= _TOUCH_EVERY_SECONDS:
                request.session[SESSION_KEY] = now
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivateNoStoreMiddleware:
    """Every answer to a logged-in user is `Cache-Control: private, no-store`.

    Those pages carry a family's health data: without it a shared computer's browser (or a
    proxy) keeps them, and the back button shows them again after logout. Placed after the
    authentication middleware; static files never get here (WhiteNoise answers first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class UserLanguageMiddleware:
    """A logged-in parent sees the language stored on the account (chosen in the switch, also
    used for their mail); staff pages stay within settings.STAFF_LANGUAGES (Dutch/English).

    Runs after LocaleMiddleware and authentication, so it only corrects what the cookie or the
    browser asked for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from core.languages import languages_for

        user = getattr(request, "user", None)
        wanted = request.LANGUAGE_CODE
        if user is not None and user.is_authenticated:
            allowed = languages_for(user)
            if not user.is_jgz_staff and user.preferred_language in allowed:
                wanted = user.preferred_language
            if wanted not in allowed:
                wanted = settings.LANGUAGE_CODE
        if wanted != request.LANGUAGE_CODE:
            translation.activate(wanted)
            request.LANGUAGE_CODE = wanted
        return self.get_response(request)
