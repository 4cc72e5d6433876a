"""E-mails and text messages in the language the parent chose; the safety block with the Dutch
text while a language's safety texts are not reviewed by a native speaker."""

import json

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from afspraken import services
from core import languages
from outbox.models import OutgoingEmail
from sms.services import queue_templated
from tests.afspraken.factories import make_slot, parent_with_child, slot_type

pytestmark = pytest.mark.django_db


def _book(parent, child):
    slot = make_slot()
    return services.book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )


def test_confirmation_mail_is_in_the_parents_language():
    parent, child = parent_with_child()
    parent.preferred_language = "ar"
    parent.save(update_fields=["preferred_language"])
    _book(parent, child)
    email = OutgoingEmail.objects.get(kind="afspraken_confirmation")
    assert email.subject == "تم حجز موعدك"
    assert "مرحبًا" in email.body_text


def test_confirmation_mail_stays_dutch_without_a_choice():
    parent, child = parent_with_child()
    _book(parent, child)
    assert OutgoingEmail.objects.get(kind="afspraken_confirmation").subject == ("Je afspraak staat")


def test_mail_language_does_not_follow_the_page_language_of_whoever_triggers_it():
    parent, child = parent_with_child()
    parent.preferred_language = "pl"
    parent.save(update_fields=["preferred_language"])
    with translation.override("uk"):  # e.g. another parent's request
        _book(parent, child)
    assert OutgoingEmail.objects.get(kind="afspraken_confirmation").subject == (
        "Twoja wizyta jest zarezerwowana"
    )


def test_text_message_is_in_the_language_of_the_parent_with_that_number():
    from sms.backends import locmem  # noqa: F401 - the autouse fixture empties it
    from sms.models import OutgoingSms

    parent, _child = parent_with_child()
    parent.phone = "06 12345678"
    parent.preferred_language = "tr"
    parent.save(update_fields=["phone", "preferred_language"])
    queue_templated(
        to="0612345678",
        template="contactmomenten_reminder",
        context={"child_name": "Ada", "closes": parent.date_joined.date(), "link": ""},
        kind="contactmomenten-reminder",
        family=parent.family,
    )
    body = OutgoingSms.objects.get(kind="contactmomenten-reminder").body
    assert "için henüz randevu yok" in body


def _emergency(language: str) -> str:
    request = RequestFactory().get("/")
    with translation.override(language):
        return render_to_string("_partials/emergency.html", {"GP_POST_PHONE": "0900-1234"}, request)


def test_unreviewed_safety_text_shows_the_dutch_text_and_numbers_next_to_it():
    html = _emergency("ar")
    assert "الحياة في خطر: اتصل بالرقم 112." in html
    dutch = html.split('class="safety-dutch"')[1]
    assert "Bij levensgevaar: bel 112." in dutch
    assert "0900-1234" in dutch
    assert html.count('id="emergency-title"') == 1 and 'id="nl-emergency-title"' in html


def test_reviewed_safety_text_shows_only_the_translation(settings, tmp_path):
    (tmp_path / "tr").mkdir()
    (tmp_path / "tr" / "review.json").write_text(json.dumps({"safety_reviewed": True}))
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]
    languages.review_state.cache_clear()
    try:
        html = _emergency("tr")
    finally:
        languages.review_state.cache_clear()
    assert "Hayati tehlike: 112'yi arayın." in html
    assert "safety-dutch" not in html


def test_dutch_and_english_never_repeat_the_safety_block():
    assert "safety-dutch" not in _emergency("nl")
    assert "safety-dutch" not in _emergency("en")


def test_html_mail_in_arabic_is_marked_right_to_left():
    parent, child = parent_with_child()
    parent.preferred_language = "ar"
    parent.save(update_fields=["preferred_language"])
    _book(parent, child)
    html = OutgoingEmail.objects.get(kind="afspraken_confirmation").body_html
    assert html.startswith('<div lang="ar" dir="rtl">')


def test_signing_up_in_turkish_keeps_turkish_for_the_mail(client):
    from django.urls import reverse

    from accounts.models import User

    client.post(reverse("set_language"), {"language": "tr", "next": "/"})
    client.post(
        reverse("account_signup"),
        {
            "email": "yeni@example.org",
            "password1": "Zomer-2026-ouder",
            "password2": "Zomer-2026-ouder",
        },
    )
    assert User.objects.get(email="yeni@example.org").preferred_language == "tr"


def test_invitation_letter_follows_the_familys_language_from_the_dd_jgz():
    from bereik.letters import invitation_html
    from bereik.models import FamilyContact
    from tests.factories import make_child, make_family

    child = make_child(family=make_family(), first_name="Noor")
    arabic = invitation_html(child=child, contact=FamilyContact(language="ar"), code="ABCDE")
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "نود أن نراك ونرى طفلك" in arabic
    dutch = invitation_html(child=child, contact=FamilyContact(language="so"), code="ABCDE")
    assert '<html lang="nl" dir="ltr">' in dutch


def test_phone_numbers_stay_left_to_right_in_arabic():
    """In right-to-left text 0900-1234 would read 1234-0900: numbers are bidi-isolated."""
    html = _emergency("ar")
    assert "\u20660900-1234\u2069" in html
    assert "\u2066" not in _emergency("tr")
