"""What the accounts app holds for the privacy registry (privacy/registry.py): the account in
the download; login addresses and second factors erased with the account (privacy anonymises the
user row itself); user rows are family data in the admin. Discovered by PrivacyConfig.ready.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from privacy.registry import Section, eraser, exporter, family_data

family_data("accounts.user", family="family_id")
# allauth's own admin pages of login addresses and second factors.
family_data("account.emailaddress", family="user__family_id")
family_data("mfa.authenticator", family="user__family_id")


@exporter("accounts")
def export_account(*, user, family):
    if user is None:
        return []  # a family without an account (staff export it on request)
    account = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "language": user.preferred_language or settings.LANGUAGE_CODE,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "two_step_verification": Authenticator.objects.filter(user=user).exists(),
    }
    labels = {
        "email": _("E-mail address"),
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "phone": _("Phone number"),
        "language": _("Language"),
        "date_joined": _("Account created"),
        "last_login": _("Last login"),
        "two_step_verification": _("Two-step verification"),
    }
    return [Section("account", str(_("Your account")), [account], labels=labels)]


@eraser("accounts")
def erase_logins(*, user, family, family_removed):
    """Login addresses, second factors and DigiD links (the broker's pseudonym) go; privacy
    then anonymises the user row itself."""
    from allauth.socialaccount.models import SocialAccount

    if user is None:
        return {}
    addresses, _details = EmailAddress.objects.filter(user=user).delete()
    factors, _details = Authenticator.objects.filter(user=user).delete()
    links, _details = SocialAccount.objects.filter(user=user).delete()
    return {"email_addresses": addresses, "authenticators": factors, "login_links": links}
