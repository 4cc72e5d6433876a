from django.conf import settings

from core.languages import switch_choices


def portal(request):
    return {
        "GP_POST_PHONE": settings.EMERGENCY_GP_TEXT,
        "JGZ_PHONE": settings.JGZ_PHONE,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "PORTAL_LANGUAGES": switch_choices(getattr(request, "user", None)),
    }
