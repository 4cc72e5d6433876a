from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_groups(sender, **kwargs):
    # post_migrate is sent once per app, in app order, and each app's permissions are made by
    # then: sync once, after the last app, when every permission exists. (Once per app cost
    # ~1,800 queries, after every migrate and every flush between transactional tests.)
    if sender is not [c for c in apps.get_app_configs() if c.models_module is not None][-1]:
        return
    from accounts.services import sync_groups

    sync_groups()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        post_migrate.connect(_sync_groups, dispatch_uid="accounts_sync_groups")
        from allauth.account.signals import user_logged_in

        from accounts.signals import remember_idp_login

        user_logged_in.connect(remember_idp_login, dispatch_uid="accounts_remember_idp_login")
