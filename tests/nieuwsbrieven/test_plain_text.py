"""The plain-text part of a newsletter is readable text, not raw Markdown."""

import pytest
from django.core import mail

from nieuwsbrieven import services
from nieuwsbrieven.rendering import markdown_to_text
from tests.factories import make_child
from tests.nieuwsbrieven.factories import make_edition, make_subscription

BODY = (
    "## Slapen\n\n"
    "Leg je baby op de **rug**, in een *eigen* bedje.\n\n"
    "- **Voeding**: vraag het [ons](https://jgz.example/vragen/).\n"
    "- Huilen &amp; troosten\n\n"
    "1. Kijk\n"
    "2. Vraag\n\n"
    "Mail [info@jgz.example](mailto:info@jgz.example)."
)


def test_markdown_becomes_plain_text():
    assert markdown_to_text(BODY) == (
        "Slapen\n"
        "======\n\n"
        "Leg je baby op de rug, in een eigen bedje.\n\n"
        "- Voeding: vraag het ons (https://jgz.example/vragen/).\n"
        "- Huilen & troosten\n\n"
        "1. Kijk\n"
        "2. Vraag\n\n"
        "Mail info@jgz.example."
    )


def test_markup_the_sanitiser_drops_does_not_reach_the_text():
    text = markdown_to_text("Hallo <script>alert(1)</script> **daar**")
    assert "<script>" not in text and "**" not in text


@pytest.mark.django_db
def test_sent_newsletter_text_part_has_no_markdown(django_capture_on_commit_callbacks):
    subscription = make_subscription()
    make_child(family=subscription.parent.family, age_months=3)
    make_edition(body=BODY)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_editions()
    text = mail.outbox[-1].body
    assert "Leg je baby op de rug, in een eigen bedje." in text
    assert "##" not in text and "**" not in text and "](" not in text
