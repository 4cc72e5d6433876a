"""B1 readability of Dutch texts: Flesch-Douma (textstat), long sentences and long words.

Pure functions apart from settings. Editors see the result when they save an article, an
edition or a standard answer; `manage.py readability_report` lists the portal's own longer
Dutch texts the same way.
"""

import re
from dataclasses import dataclass, field
from html import escape

import textstat
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_#>`]|^\s*[-+]\s+|^\s*\d+\.\s+", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def plain_text(markdown_text: str) -> str:
    """Markdown to the words a reader reads: link texts kept, marks and addresses dropped."""
    text = _MARKUP.sub(lambda m: m.group(1) or "", markdown_text)
    return _PLACEHOLDER.sub("", text)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@dataclass
class Readability:
    score: float | None  # Flesch-Douma; None for a text too short to judge
    words: int
    long_sentences: list[str] = field(default_factory=list)
    long_words: list[str] = field(default_factory=list)

    @property
    def above_b1(self) -> bool:
        return self.score is not None and self.score < settings.KENNISBANK_B1_MIN_SCORE

    @property
    def level(self) -> str:
        if self.score is None:
            return _("too short to judge")
        if self.score >= 70:
            return _("easy (B1 or easier)")
        if self.score >= settings.KENNISBANK_B1_MIN_SCORE:
            return _("B1")
        return _("harder than B1")


def check(markdown_text: str) -> Readability:
    """Score a Dutch text written in Markdown."""
    text = plain_text(markdown_text)
    found = words(text)
    long_word = settings.KENNISBANK_LONG_WORD_LETTERS
    long_sentence = settings.KENNISBANK_LONG_SENTENCE_WORDS
    result = Readability(
        score=None,
        words=len(found),
        long_sentences=[s for s in sentences(text) if len(words(s)) > long_sentence],
        long_words=sorted({w for w in found if len(w) > long_word}, key=str.lower),
    )
    if len(found) >= 8:
        textstat.set_lang("nl")
        result.score = round(textstat.flesch_reading_ease(text), 1)
    return result


def summary(result: Readability) -> str:
    """One line for the editor: score, level and what to shorten."""
    if result.score is None:
        return _("Readability: too short to judge.")
    return _(
        "Readability (Flesch-Douma): %(score)s, %(level)s. "
        "Long sentences: %(sentences)d. Long words: %(words)d."
    ) % {
        "score": result.score,
        "level": result.level,
        "sentences": len(result.long_sentences),
        "words": len(result.long_words),
    }


def highlighted(markdown_text: str) -> SafeString:
    """The text as HTML for the admin: long sentences in <mark>, long words in <strong>."""
    result = check(markdown_text)
    text = plain_text(markdown_text)
    long_sentence = settings.KENNISBANK_LONG_SENTENCE_WORDS
    long_word = settings.KENNISBANK_LONG_WORD_LETTERS
    parts = []
    for sentence in sentences(text):
        marked = _WORD.sub(
            lambda m: (
                f'<strong class="long-word">{m.group(0)}</strong>'
                if len(m.group(0)) > long_word
                else m.group(0)
            ),
            escape(sentence),
        )
        if len(words(sentence)) > long_sentence:
            marked = f'<mark class="long-sentence">{marked}</mark>'
        parts.append(marked)
    return format_html(
        "<p><strong>{}</strong></p><p>{}</p>",
        summary(result),
        mark_safe(" ".join(parts)),  # noqa: S308 - built from escaped text above
    )
