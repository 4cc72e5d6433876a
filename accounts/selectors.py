from django.db.models import Q, QuerySet

from accounts import roles
from accounts.models import User


def list_users_with_capability(capability: roles.Capability) -> QuerySet[User]:
    """Active users whose primary or extra role gives `capability` (e.g. who can be
    assigned a question, whose agenda can be shown)."""
    with_it = [role for role, caps in roles.ROLE_CAPABILITIES.items() if capability in caps]
    ids = User.objects.filter(
        Q(role__in=with_it) | Q(role_memberships__role__in=with_it), is_active=True
    ).values("pk")
    return User.objects.filter(pk__in=ids)


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
