from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
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
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in with an e-mail address. Parents belong to a family."""

    class Role(models.TextChoices):
        PARENT = "parent", _("Parent or carer")
        NURSE = "nurse", _("Youth nurse")
        DOCTOR = "doctor", _("Youth doctor")
        ASSISTANT = "assistant", _("Doctor's assistant")
        MANAGER = "manager", _("Manager")

    PROFESSIONAL_ROLES = (Role.NURSE, Role.DOCTOR, Role.ASSISTANT)
    STAFF_ROLES = (*PROFESSIONAL_ROLES, Role.MANAGER)

    username = None
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARENT)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
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

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_parent(self) -> bool:
        return self.role == self.Role.PARENT

    @property
    def is_professional(self) -> bool:
        return self.role in self.PROFESSIONAL_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def is_jgz_staff(self) -> bool:
        """Professionals and managers: the people who must use MFA."""
        return self.role in self.STAFF_ROLES or self.is_superuser

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email
