"""Newsletters in the parent's language: an edition the editors translated reaches an Arabic
parent in Arabic (words around it too, right to left); an untranslated one comes all in Dutch,
with one line in the parent's language saying so. Milestone messages likewise."""

from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.utils import timezone, translation

from families.ages import add_months
from nieuwsbrieven import services
from tests.factories import make_child, make_family, make_parent
from tests.nieuwsbrieven.factories import make_edition, make_milestone, make_subscription


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


@pytest.mark.django_db
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
    # The untranslated edition tells the Ukrainian parent, in Ukrainian, why it is Dutch.
    ukrainian = _sent_to("olena@example.org")
    assert _missing_note("uk") in ukrainian.body
    assert (
        f'<p lang="uk" dir="ltr"><em>{_missing_note("uk")}</em></p>'
        in (ukrainian.alternatives[0][0])
    )
    assert _missing_note("uk") not in _sent_to("sanne@example.org").body


def _missing_note(language: str) -> str:
    with translation.override(language):
        return translation.gettext(
            "This text is not yet available in your language. You see the Dutch text."
        )


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _part(message, content_type: str) -> str:
    parts = {part.get_content_type(): part for part in message.walk()}
    return parts[content_type].get_payload(decode=True).decode()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_milestone_reaches_each_parent_in_their_language_through_the_worker(
    celery_worker, smtp_sink
):
    from nieuwsbrieven.tasks import send_milestones_task

    twelve = add_months(timezone.localdate(), -144)
    for email, language, child in (
        ("amal@example.org", "ar", "Noor"),
        ("sanne@example.org", "nl", "Sem"),
        ("olena@example.org", "uk", "Mila"),  # no Ukrainian text: Dutch with a note
    ):
        family = make_family()
        parent = make_parent(family=family, email=email)
        parent.preferred_language = language
        parent.save(update_fields=["preferred_language"])
        make_child(family=family, date_of_birth=twelve, first_name=child)
        make_subscription(parent=parent)
    make_milestone(
        age_months=144,
        title_nl="Je kind is 12",
        body_nl="Je kind beslist nu **mee**.",
        title_ar="طفلك عمره 12 سنة",
        body_ar="طفلك يقرر الآن **معك**.",
    )
    send_milestones_task.delay()
    messages = {message["To"]: message for message in smtp_sink.wait_for(3)}

    arabic = messages["amal@example.org"]
    assert _subject(arabic) == "طفلك عمره 12 سنة"
    text = _part(arabic, "text/plain")
    assert "طفلك يقرر الآن" in text and "Noor" in text
    assert "Je kind" not in text and _missing_note("ar") not in text
    html = _part(arabic, "text/html")
    assert 'lang="ar" dir="rtl"' in html and _unsubscribe_word("ar") in html

    dutch = messages["sanne@example.org"]
    assert _subject(dutch) == "Je kind is 12"
    assert _missing_note("nl") not in _part(dutch, "text/plain")

    ukrainian = messages["olena@example.org"]
    assert _subject(ukrainian) == "Je kind is 12"
    text = _part(ukrainian, "text/plain")
    assert text.startswith(_missing_note("uk")) and "Je kind beslist nu" in text
    html = _part(ukrainian, "text/html")
    assert 'lang="nl" dir="ltr"' in html and 'lang="uk"' in html
    assert _unsubscribe_word("nl") in html
