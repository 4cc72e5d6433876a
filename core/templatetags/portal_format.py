from django import template

from core.formats import moment

register = template.Library()
register.filter("moment", moment)
