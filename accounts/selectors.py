from django.db.models import Q, QuerySet

from accounts import roles
from accounts.models import RoleMembership, User


def list_users_with_capability(capability: roles.Capability) -> QuerySet[User]:
    """Active users whose primary or extra role gives `capability` (e.g. who can be
    assigned a question, whose agenda can be shown)."""
    with_it = [role for role, caps in roles.ROLE_CAPABILITIES.items() if capability in caps]
    extra = RoleMembership.objects.filter(role__in=with_it).values("user_id")
    # Never a parent's account (`User.roles` ignores a parent's extra roles too): that is the
    # condition of the staff index, so PostgreSQL reads the ~900 professionals of a region
    # there instead of all 170,000 accounts.
    return User.objects.filter(Q(role__in=with_it) | Q(pk__in=extra), is_active=True).exclude(
        role=User.Role.PARENT
    )


def uses_staff_identity_provider(*, user: User) -> bool:
    """Is `user` linked to the organisation's identity provider (and so without a portal
    password)?"""
    from allauth.socialaccount.models import SocialAccount
    from django.conf import settings

    return SocialAccount.objects.filter(user=user, provider=settings.STAFF_IDP_PROVIDER_ID).exists()


def has_digid(*, user: User) -> bool:
    from allauth.socialaccount.models import SocialAccount
    from django.conf import settings

    return SocialAccount.objects.filter(user=user, provider=settings.DIGID_PROVIDER_ID).exists()
