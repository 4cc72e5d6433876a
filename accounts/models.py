from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", User.Role.MANAGER)
        user = self._create_user(email, password, **extra_fields)
        # `createsuperuser` at the shell: logged like every other role change.
        from accounts.services import record_initial_superuser

        record_initial_superuser(user=user)
        return user


class User(AbstractUser):
    """A person who logs in with an e-mail address. Parents belong to a family."""

    class Role(models.TextChoices):
        PARENT = "parent", _("Parent or carer")
        NURSE = "nurse", _("Youth nurse")
        DOCTOR = "doctor", _("Youth doctor")
        ASSISTANT = "assistant", _("Doctor's assistant")
        MANAGER = "manager", _("Manager")
        PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
        EDITOR = "editor", _("Content editor")
        # A wijkteam partner who co-hosts parent group meetings: an external account.
        COHOST = "cohost", _("Co-host of parent meetings (partner)")

    PROFESSIONAL_ROLES = (Role.NURSE, Role.DOCTOR, Role.ASSISTANT)
    # Everyone who works for the JGZ organisation: must use MFA, reads are logged.
    STAFF_ROLES = (*PROFESSIONAL_ROLES, Role.MANAGER, Role.PRIVACY_OFFICER, Role.EDITOR)
    # Accounts that must use MFA: the JGZ's staff and the external partners who see anything.
    MFA_ROLES = (*STAFF_ROLES, Role.COHOST)

    username = None
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARENT)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    # The language of the parent's pages, e-mails and text messages ("" = the portal's default).
    # Set by the language switch; staff pages only offer settings.STAFF_LANGUAGES.
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    family = models.ForeignKey(
        "families.Family",
        verbose_name=_("family"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parents",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        # Staff (`selectors.list_users_with_capability`): a region's ~900 professionals among
        # 170,000 parents' accounts, read along an index that holds only them.
        indexes = [
            models.Index(fields=["role"], condition=~Q(role="parent"), name="accounts_user_staff")
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """The primary role plus every extra role (one query, cached on this object)."""
        if self.pk is None or self.role == self.Role.PARENT:
            return frozenset({self.role})
        extra = self.role_memberships.values_list("role", flat=True)
        return frozenset({self.role, *extra})

    @property
    def extra_roles(self) -> frozenset[str]:
        return self.roles - {self.role}

    @cached_property
    def capabilities(self) -> frozenset[str]:
        """What this person's roles let them do on the staff pages (`accounts.roles`)."""
        from accounts.roles import capabilities_of

        return capabilities_of(self.roles) if self.is_active else frozenset()

    def has_capability(self, capability: str) -> bool:
        return capability in self.capabilities

    def forget_roles(self) -> None:
        """Drop the cached roles after a change (the services call this)."""
        self.__dict__.pop("roles", None)
        self.__dict__.pop("capabilities", None)

    @property
    def is_parent(self) -> bool:
        return self.role == self.Role.PARENT

    @property
    def is_professional(self) -> bool:
        return self.role in self.PROFESSIONAL_ROLES

    @property
    def is_manager(self) -> bool:
        return self.Role.MANAGER in self.roles

    @property
    def is_jgz_staff(self) -> bool:
        """Everyone working for the JGZ: the people who must use MFA and whose reads are
        logged. Extra roles are given to staff only, so the primary role decides (no query)."""
        return self.role in self.STAFF_ROLES or self.is_superuser

    @property
    def must_use_mfa(self) -> bool:
        return self.role in self.MFA_ROLES or self.is_superuser

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class RoleMembership(models.Model):
    """An extra role next to the user's primary role, e.g. a manager who also triages as a
    nurse. Written only by `accounts.services.change_roles` (which checks who may grant it)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=User.Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("extra role")
        verbose_name_plural = _("extra roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_rolemembership_once"),
            # Parent is a primary role only: an extra role never makes a parent of staff.
            models.CheckConstraint(
                condition=~Q(role="parent"), name="accounts_rolemembership_not_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.role


class RoleChange(models.Model):
    """Who gave whom which role (or took it away), when, and through which path.

    Append-only: written by `accounts.services` for every change of a role, the superuser
    flag, a raw group or a raw permission; read-only in the admin (privacy officers).
    """

    class Action(models.TextChoices):
        GRANT = "grant", _("Granted")
        REVOKE = "revoke", _("Taken away")

    class Source(models.TextChoices):
        ADMIN = "admin", _("Management (admin)")
        COMMAND = "command", _("Command line or demo data")
        IDENTITY_PROVIDER = "identity_provider", _("Identity provider")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_email = models.CharField(_("by (e-mail)"), max_length=254, blank=True)
    user = models.ForeignKey(
        User, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_email = models.CharField(_("user (e-mail)"), max_length=254)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # A role value, "superuser", "group:<name>" or "permission:<app.codename>".
    what = models.CharField(_("role or permission"), max_length=150)
    source = models.CharField(_("through"), max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email or '-'} {self.action} {self.what}"

    @property
    def what_label(self) -> str:
        if self.what in User.Role.values:
            return str(User.Role(self.what).label)
        return self.what
