"""Security events (NEN 7510): logins, logouts, failed logins and failed second-factor codes.

Connected in PrivacyConfig.ready to Django's and allauth's signals, so every way in (the portal
login, the admin through it, a password reset that logs in) is recorded without each view
remembering to. Privacy officers read them in the admin; managers do not.
"""


def connect_security_events() -> None:
    from allauth.mfa.signals import authentication_failed
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(_logged_in, dispatch_uid="privacy_security_login")
    user_logged_out.connect(_logged_out, dispatch_uid="privacy_security_logout")
    user_login_failed.connect(_login_failed, dispatch_uid="privacy_security_login_failed")
    authentication_failed.connect(_mfa_failed, dispatch_uid="privacy_security_mfa_failed")


def _record(kind: str, *, user=None, email: str = "", request=None) -> None:
    from privacy.services import record_security_event

    record_security_event(kind=kind, user=user, email=email, request=request)


def _logged_in(sender, request, user, **kwargs):
    _record("login", user=user, request=request)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        _record("logout", user=user, request=request)


def _login_failed(sender, credentials, request=None, **kwargs):
    # Django removes the password from `credentials`; allauth passes the address as email.
    email = str(credentials.get("email") or credentials.get("username") or "")
    _record("login_failed", email=email, request=request)


def _mfa_failed(sender, request, user, **kwargs):
    _record("mfa_failed", user=user, request=request)
