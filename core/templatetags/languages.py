"""{% safety_block %}…{% endsafety_block %}: safety texts in the reader's language, and, while no
native speaker has reviewed that language's safety texts, the Dutch original with its phone
numbers right below (core.languages.safety_needs_dutch)."""

import re

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.languages import safety_needs_dutch

register = template.Library()

# The Dutch copy repeats the block: its ids get a prefix so each id stays unique on the page.
_ID_ATTRIBUTE = re.compile(r'\b(id|aria-labelledby|aria-describedby|for)="')


class SafetyBlockNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        if not safety_needs_dutch():
            return html
        note = gettext("Not yet checked by a native speaker. The same in Dutch:")
        with translation.override(settings.LANGUAGE_CODE):
            dutch = self.nodelist.render(context)
        dutch = _ID_ATTRIBUTE.sub(lambda m: f'{m.group(1)}="nl-', dutch)
        return html + format_html(
            '<div class="safety-dutch" lang="nl" dir="ltr"><p class="small mb-1" lang="{}" '
            'dir="{}">{}</p>{}</div>',
            translation.get_language(),
            "rtl" if translation.get_language_bidi() else "ltr",
            note,
            mark_safe(dutch),  # noqa: S308 - our own template, rendered just above
        )


@register.tag("safety_block")
def safety_block(parser, token):
    nodelist = parser.parse(("endsafety_block",))
    parser.delete_first_token()
    return SafetyBlockNode(nodelist)
