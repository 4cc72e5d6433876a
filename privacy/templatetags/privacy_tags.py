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


@register.inclusion_tag("privacy/_youth_question_form.html", takes_context=True)
def youth_question_form(context, question):
    """On the staff question page: mark the question as the youth's own (or undo it)."""
    from privacy.models import YouthQuestion

    return {
        "question": question,
        "marked": YouthQuestion.objects.filter(question=question).exists(),
        "private_age": settings.YOUTH_PRIVATE_QUESTIONS_FROM_AGE,
        "csrf_token": context.get("csrf_token"),
    }
