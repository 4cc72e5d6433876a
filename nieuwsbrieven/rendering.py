"""Turn an edition or milestone into e-mail parts. Pure functions apart from templates.

The outer e-mail is rendered once per chunk with placeholders; each recipient then costs a
few string replacements, which keeps 100,000 messages cheap.
"""

from dataclasses import dataclass
from functools import lru_cache
from html import escape

import markdown
import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from nieuwsbrieven.tokens import MANAGE, make_token_for

ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "hr",
}  # fmt: skip
CHILD = "\x00child\x00"
PREFERENCES = "\x00preferences\x00"
UNSUBSCRIBE = "\x00unsubscribe\x00"


def markdown_to_html(text: str) -> str:
    """Markdown from the admin to safe HTML: no scripts, styles, images or raw HTML."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


@dataclass(frozen=True)
class Template:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str
    headers: dict


def build_template(*, kind: str, title: str, body: str) -> Template:
    """kind is "edition" or "milestone"; templates in templates/emails/nieuwsbrieven/."""
    context = {
        "title": title,
        "body_html": markdown_to_html(body),
        "body_text": body.strip(),
        "child": CHILD,
        "preferences_url": PREFERENCES,
        "unsubscribe_url": UNSUBSCRIBE,
        "organisation": settings.ORGANISATION_NAME,
        "site_url": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string(f"emails/nieuwsbrieven/{kind}_subject.txt", context).split()
        )
        text = render_to_string(f"emails/nieuwsbrieven/{kind}_body.txt", context).strip()
        html = render_to_string(f"emails/nieuwsbrieven/{kind}_body.html", context).strip()
    return Template(subject=subject, text=text, html=html)


@lru_cache(maxsize=4)
def _url_templates(site_url: str) -> tuple[str, str]:
    # reverse() costs more than the rest of a message together: resolve once per process.
    return tuple(
        site_url + reverse(f"nieuwsbrieven:{name}", kwargs={"token": "TOKEN"})
        for name in ("preferences", "unsubscribe")
    )


def manage_urls(subscription_id, key: str) -> tuple[str, str]:
    token = make_token_for(subscription_id, key, MANAGE)
    preferences, unsubscribe = _url_templates(settings.SITE_URL)
    return preferences.replace("TOKEN", token), unsubscribe.replace("TOKEN", token)


def personalise(template: Template, *, child_name: str, subscription_id, key: str) -> Message:
    preferences_url, unsubscribe_url = manage_urls(subscription_id, key)

    def fill(text: str, quote) -> str:
        return (
            text.replace(CHILD, quote(child_name))
            .replace(PREFERENCES, quote(preferences_url))
            .replace(UNSUBSCRIBE, quote(unsubscribe_url))
        )

    return Message(
        subject=fill(template.subject, str),
        text=fill(template.text, str),
        html=fill(template.html, escape),
        headers={
            # RFC 8058: mail clients show an unsubscribe button that POSTs to this URL.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
