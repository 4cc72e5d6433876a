"""Ages a parent types in their own language count for the alarm rules, as Dutch ones do: a
fever in "my 5 weeks old son" (a baby the portal does not know yet) stops at "Bel nu" in every
parent language, while "a fever for 5 weeks" is a duration, not an age."""

from datetime import date

import pytest
from django.urls import reverse

from vragen import alarms
from vragen.models import Question

TODAY = date(2026, 3, 10)

FIVE_WEEKS_OLD = [
    ("nl", "Mijn baby van 5 weken heeft koorts"),
    ("en", "My son is 5 weeks old and has a fever"),
    ("tr", "5 haftalık bebeğimin ateşi var"),
    ("pl", "Mój synek ma 5 tygodni i ma gorączkę"),
    ("uk", "Моєму синові 5 тижнів, у нього жар"),
    ("ar", "طفلي عمره 5 أسابيع وعنده حرارة"),
    ("ar", "ابني عمره ٥ أسابيع وعنده حرارة"),  # Arabic-Indic digit
]


def _ages_in_days(text: str) -> list[int]:
    births = alarms.ages_in_text(alarms.tokenize(text), TODAY)
    return sorted((TODAY - born).days for born in births)


@pytest.mark.parametrize(("language", "text"), FIVE_WEEKS_OLD)
def test_an_age_in_weeks_is_read_in_every_parent_language(language, text):
    assert _ages_in_days(text) == [35], language


@pytest.mark.parametrize(
    "text",
    [
        "5-week-old baby",
        "Bebeğim 5 hafta",
        "5-tygodniowe dziecko",
        "Дитина 5 тижнів",
        "5-тижневий малюк",
    ],
)
def test_other_ways_of_writing_five_weeks(text):
    assert _ages_in_days(text) == [35]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("She is 3 months old", 90),
        ("3 aylık kızım", 90),
        ("Córka ma 3 miesiące", 90),
        ("Доньці 3 місяці", 90),
        ("طفلتي عمرها 3 أشهر", 90),
        ("عمره أسبوعين", 14),  # "two weeks" in one word
        ("عمره شهر", 28),  # "a month": since 10 February
    ],
)
def test_months_and_arabic_words_without_a_number(text, days):
    # Three months back from 10 March is 10 December: 90 days.
    [found] = _ages_in_days(text)
    assert abs(found - days) <= 1


@pytest.mark.parametrize(
    "text",
    [
        "He has had a fever for 5 weeks",
        "5 haftadır ateşi var",
        "Od 5 tygodni ma gorączkę",
        "Вже 5 тижнів жар",
        "حرارة منذ ٥ أسابيع",
        "The cough started 2 weeks ago",
        "Ik ben 33 weken zwanger",
    ],
)
def test_durations_and_pregnancy_weeks_are_no_age(text):
    assert _ages_in_days(text) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), FIVE_WEEKS_OLD)
def test_fever_at_an_age_typed_in_any_language_stops_at_call_now(
    language, text, parent_client, parent
):
    """No child in the portal yet (a newborn not registered): only the typed age can tell."""
    from tests.vragen.factories import topic

    assert not parent.family.children.exists()
    data = {"about": "parent", "topic": topic().pk, "text": text, "channel": "online"}
    response = parent_client.post(reverse("vragen:ask"), data)
    assert response.status_code == 200
    assert 'href="tel:112"' in response.text and "vragen-alarm" in response.text, language
    assert "Koorts bij een baby jonger dan 3 maanden is altijd een reden" in response.text
    assert not Question.objects.exists()  # "Bel nu" first, the question is not sent


@pytest.mark.django_db
def test_fever_at_two_years_typed_in_turkish_is_no_newborn_alarm(parent_client, parent):
    from tests.vragen.factories import topic

    text = "2 yaşındaki kızımın ateşi var"
    assert _ages_in_days(text) == [(TODAY - TODAY.replace(year=2024)).days]
    data = {"about": "parent", "topic": topic().pk, "text": text, "channel": "online"}
    response = parent_client.post(reverse("vragen:ask"), data)
    assert "Koorts bij een baby jonger dan 3 maanden" not in response.text
