"""Newsletters in the parent's language: an edition the editors translated reaches an Arabic
parent in Arabic (words around it too, right to left); an untranslated one comes all in Dutch."""

import pytest
from django.core import mail
from django.utils import translation

from nieuwsbrieven import services
from tests.factories import make_child, make_family, make_parent
from tests.nieuwsbrieven.factories import make_edition, make_subscription

pytestmark = pytest.mark.django_db


def _subscriber(email: str, language: str, child: str):
    family = make_family()
    parent = make_parent(family=family, email=email)
    parent.preferred_language = language
    parent.save(update_fields=["preferred_language"])
    make_child(family=family, age_months=3, first_name=child)
    return make_subscription(parent=parent)


def _sent_to(email: str):
    return next(message for message in mail.outbox if message.to == [email])


def _unsubscribe_word(language: str) -> str:
    with translation.override(language):
        return translation.gettext("Unsubscribe")


def test_translated_edition_reaches_each_parent_in_their_language(
    django_capture_on_commit_callbacks,
):
    _subscriber("amal@example.org", "ar", "Noor")
    _subscriber("sanne@example.org", "nl", "Sem")
    _subscriber("olena@example.org", "uk", "Mila")  # no Ukrainian text: all Dutch
    make_edition(
        age=(0, 12),
        title_nl="Slapen in de eerste maanden",
        body_nl="Je baby slaapt **veel**.",
        title_ar="النوم في الأشهر الأولى",
        body_ar="طفلك ينام **كثيرًا**.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_editions() == 1
    assert len(mail.outbox) == 3

    arabic = _sent_to("amal@example.org")
    assert "النوم في الأشهر الأولى" in arabic.subject
    assert "طفلك ينام" in arabic.body and "Noor" in arabic.body
    html = arabic.alternatives[0][0]
    assert 'lang="ar" dir="rtl"' in html
    assert _unsubscribe_word("ar") in html and _unsubscribe_word("ar") != _unsubscribe_word("nl")

    for email in ("sanne@example.org", "olena@example.org"):
        dutch = _sent_to(email)
        assert "Slapen in de eerste maanden" in dutch.subject
        assert "Je baby slaapt" in dutch.body and "طفلك" not in dutch.body
        assert 'lang="nl" dir="ltr"' in dutch.alternatives[0][0]
        assert _unsubscribe_word("nl") in dutch.alternatives[0][0]
