from django import template
from django.conf import settings

from privacy.youth import shows_youth_notice

register = template.Library()


@register.inclusion_tag("privacy/_youth_notice.html")
def youth_notice(child):
    """From 12: tell the parent that some questions are handled with the youth."""
    return {
        "child": child,
        "show": shows_youth_notice(child),
        "age": settings.YOUTH_NOTICE_FROM_AGE,
    }
