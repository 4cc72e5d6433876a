"""The alarm rules in every parent language against questions written in that language.

tests/languages/alarm_corpus/<lang>.csv: 48 questions per language (24 a jeugdarts would want
on the "Bel nu" page, 24 ordinary ones, many close to an alarm: a fever at two years, a bruise,
blue eyes, a blood test in pregnancy), same columns as the Dutch corpus. Written together with
the rules and without a native speaker, so the figures are an upper bound until native speakers
add their own sentences. The figures are printed on every run and are in README ("Languages").
"""

import csv
from pathlib import Path

import pytest

from tests.vragen.test_alarm_corpus import Case, measure

CORPUS = Path(__file__).parent / "alarm_corpus"
LANGUAGES = ["en", "ar", "tr", "pl", "uk"]
# Measured when the rules were done; a change of the rules may only improve them.
RECALL_AT_LEAST = {"en": 1.0, "ar": 1.0, "tr": 1.0, "pl": 1.0, "uk": 1.0}
FALSE_ALARMS_AT_MOST = {"en": 0.0, "ar": 0.0, "tr": 0.0, "pl": 0.0, "uk": 0.0}


def load(language: str) -> list[Case]:
    with (CORPUS / f"{language}.csv").open(encoding="utf-8", newline="") as f:
        return [
            Case(row["alarm"] == "ja", row["over"], row["gezin"], row["tekst"])
            for row in csv.DictReader(f)
        ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_corpus_is_large_enough_and_half_alarming(language):
    cases = load(language)
    assert len(cases) >= 48
    assert sum(case.alarm for case in cases) == len(cases) // 2


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_alarm_rules_catch_questions_in_every_language(language, capsys):
    figures = measure(load(language))
    with capsys.disabled():
        print(f"\n  alarm corpus {figures.line(language)}")
        for case in figures.missed:
            print(f"    missed: [{case.about}] {case.text}")
        for case in figures.wrongly_alarmed:
            print(f"    false alarm: [{case.about}] {case.text}")
    assert figures.recall >= RECALL_AT_LEAST[language]
    assert figures.false_alarm_rate <= FALSE_ALARMS_AT_MOST[language]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ar", "طفلي عمره ثلاثة أسابيع وعنده حرارة"),
        ("tr", "Yenidoğan bebeğimin ateşi var"),
        ("pl", "Mój noworodek ma gorączkę"),
        ("uk", "У новонародженої доньки жар"),
        ("en", "My newborn has a fever"),
    ],
)
def test_feverish_newborn_stops_at_call_now_in_every_language(
    language, text, parent_client, parent
):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from tests.factories import make_child
    from tests.vragen.factories import topic

    baby = make_child(family=parent.family, date_of_birth=timezone.localdate() - timedelta(weeks=3))
    data = {"about": baby.pk, "topic": topic().pk, "text": text, "channel": "online"}
    response = parent_client.post(reverse("vragen:ask"), data)
    assert response.status_code == 200
    assert 'href="tel:112"' in response.text and "vragen-alarm" in response.text
    # The language's rule carries the Dutch rule's advice (and its translations).
    assert "Koorts bij een baby jonger dan 3 maanden is altijd een reden" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "طفلي عنده حرارة منذ الصباح",
        "Bebeğim ateşli",
        "Moje dziecko ma gorączkę",
        "Моя дитина має жар",
        "My baby has a fever",
    ],
)
def test_question_about_myself_that_mentions_the_baby_counts_the_familys_baby(text):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_child, make_family
    from vragen import services

    family = make_family()
    make_child(family=family, date_of_birth=timezone.localdate() - timedelta(weeks=3))
    assert services.find_alarm_rules(text=text, family_id=family.pk, child=None)


@pytest.mark.django_db
def test_newborn_in_another_language_is_a_baby_of_zero_days():
    from tests.factories import make_family
    from vragen import services

    family = make_family()
    for text in ("Our newborn has a fever", "Yenidoğan ateşli", "Noworodek ma gorączkę"):
        assert services.find_alarm_rules(text=text, family_id=family.pk, child=None), text


@pytest.mark.django_db
def test_every_language_rule_shows_the_advice_of_its_dutch_rule():
    from vragen.models import AlarmRule

    dutch = {rule.name: rule for rule in AlarmRule.objects.filter(language="nl")}
    others = list(AlarmRule.objects.exclude(language="nl"))
    assert len(others) >= 5 * 20
    for rule in others:
        base = dutch[rule.name.rsplit(" (", 1)[0]]
        assert rule.advice and rule.advice == base.advice, rule.name
        assert (rule.audience, rule.younger_than_months) == (
            base.audience,
            base.younger_than_months,
        )
