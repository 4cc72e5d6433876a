"""Turn an edition or milestone into e-mail parts. Pure functions apart from templates.

The outer e-mail is rendered once per chunk with placeholders; each recipient then costs a
few string replacements, which keeps 100,000 messages cheap.
"""

from dataclasses import dataclass
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from core.markdown import markdown_to_html
from nieuwsbrieven.tokens import MANAGE, make_token_for

CHILD = "\x00child\x00"
PREFERENCES = "\x00preferences\x00"
UNSUBSCRIBE = "\x00unsubscribe\x00"


class _PlainText(HTMLParser):
    """The sanitised HTML of `markdown_to_html` as plain text a mail client shows as it is:
    headings underlined, lists with "-" or "1.", links as "text (address)", no ** or ##."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []  # (text, follows the item before it tightly)
        self.line: list[str] = []
        self.lists: list[list] = []  # per open list: [tag, next number]
        self.href = ""
        self.link_text: list[str] = []
        self.heading = ""
        self.in_item = False
        self.first_item = False

    def _flush(self) -> None:
        text = " ".join("".join(self.line).split())
        self.line = []
        if not text:
            return
        if self.heading:
            text += "\n" + ("=" if self.heading == "h2" else "-") * len(text)
        self.blocks.append((text, self.in_item))
        self.in_item = False

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "h2", "h3", "h4", "blockquote"):
            self._flush()
            self.heading = tag if tag.startswith("h") else ""
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag, 1])
            self.first_item = True
        elif tag == "li":
            self._flush()
            kind = self.lists[-1] if self.lists else ["ul", 1]
            bullet = f"{kind[1]}." if kind[0] == "ol" else "-"
            kind[1] += 1
            self.in_item = not self.first_item
            self.first_item = False
            self.line.append("  " * max(0, len(self.lists) - 1) + bullet + " ")
        elif tag == "br":
            self.line.append("\n")
        elif tag == "hr":
            self._flush()
            self.blocks.append(("----", False))
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
            self.link_text = []

    def handle_endtag(self, tag):
        if tag in ("p", "h2", "h3", "h4", "li", "blockquote"):
            self._flush()
            self.heading = ""
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
        elif tag == "a":
            text = "".join(self.link_text).strip()
            if self.href and self.href != text and f"mailto:{text}" != self.href:
                self.line.append(f" ({self.href})")
            self.href = ""

    def handle_data(self, data):
        self.line.append(data)
        if self.href:
            self.link_text.append(data)

    def text(self) -> str:
        self._flush()
        out = ""
        for text, tight in self.blocks:
            if out:
                out += "\n" if tight else "\n\n"
            out += text
        return out


def markdown_to_text(text: str) -> str:
    """Markdown from the admin to readable plain text (the text part of the e-mail)."""
    parser = _PlainText()
    parser.feed(markdown_to_html(text))
    parser.close()
    return parser.text()


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


# Above a Dutch text sent to a parent who chose another language (the same words as under an
# untranslated article).
MISSING_TRANSLATION = gettext_noop(
    "This text is not yet available in your language. You see the Dutch text."
)


def build_template(
    *,
    kind: str,
    title: str,
    body: str,
    language: str | None = None,
    note_language: str | None = None,
) -> Template:
    """kind is "edition" or "milestone"; templates in templates/emails/nieuwsbrieven/.
    `language`: the words around the text (Dutch by default), matching the text's language.
    `note_language`: the reader's language when the text is Dutch because it is not translated
    yet; a short note in that language says so above it."""
    note = ""
    if note_language:
        with translation.override(note_language):
            note = translation.gettext(MISSING_TRANSLATION)
    context = {
        "note": note,
        "note_language": note_language,
        "note_dir": "rtl" if note_language in settings.LANGUAGES_BIDI else "ltr",
        "title": title,
        "body_html": markdown_to_html(body),
        "body_text": markdown_to_text(body),
        "child": CHILD,
        "preferences_url": PREFERENCES,
        "unsubscribe_url": UNSUBSCRIBE,
        "organisation": settings.ORGANISATION_NAME,
        "site_url": settings.SITE_URL,
    }
    with translation.override(language or settings.LANGUAGE_CODE):
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
