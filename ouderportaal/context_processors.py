from django.conf import settings


def portal(request):
    return {
        "GP_POST_PHONE": settings.EMERGENCY_GP_TEXT,
        "JGZ_PHONE": settings.JGZ_PHONE,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
    }
