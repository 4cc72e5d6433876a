from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_groups(sender, **kwargs):
    from accounts.services import sync_groups

    sync_groups()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # After the last app migrated, so every app's permissions exist.
        post_migrate.connect(_sync_groups, dispatch_uid="accounts_sync_groups")
        from allauth.account.signals import user_logged_in

        from accounts.signals import remember_idp_login

        user_logged_in.connect(remember_idp_login, dispatch_uid="accounts_remember_idp_login")
