"""The seeded alarm rules against Dutch questions written before the rules were tuned.

`tuning.csv` was used to tune the rules: every alarming sentence there must give the "Bel nu"
page. `heldout.csv` (a random quarter, kept aside until the rules were done) shows how the
rules do on sentences they were not tuned on. The figures are printed on every run and are in
README ("Alarm rules"); the held-out bounds below guard them against getting worse.
"""

import csv
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from families.ages import add_months
from families.models import Child
from tests.factories import make_family
from vragen import services

CORPUS = Path(__file__).parent / "alarm_corpus"
# Measured when the rules were done (README "Alarm rules"); a rule change may only improve them.
TUNING_FALSE_ALARMS_AT_MOST = 1 / 51
HELD_OUT_RECALL_AT_LEAST = 17 / 17
HELD_OUT_FALSE_ALARMS_AT_MOST = 0 / 17
UNITS = {"dag": 1, "dagen": 1, "week": 7, "weken": 7}


@dataclass(frozen=True)
class Case:
    alarm: bool
    about: str
    family: str
    text: str


@dataclass(frozen=True)
class Figures:
    alarming: int
    caught: int
    ordinary: int
    false_alarms: int
    missed: tuple[Case, ...]
    wrongly_alarmed: tuple[Case, ...]

    @property
    def recall(self) -> float:
        return self.caught / self.alarming

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.ordinary

    def line(self, name: str) -> str:
        return (
            f"{name}: recall {self.caught}/{self.alarming} = {self.recall:.0%}, "
            f"false alarms {self.false_alarms}/{self.ordinary} = {self.false_alarm_rate:.0%}"
        )


def load(name: str) -> list[Case]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as f:
        return [
            Case(row["alarm"] == "ja", row["over"], row["gezin"], row["tekst"])
            for row in csv.DictReader(f)
        ]


def _make_child(family, label: str) -> Child:
    """`kind 5 weken`, `kind 4 maanden`, `kind 3 jaar`, `zwangerschap 30 weken`."""
    kind, number, unit = label.split()
    today = timezone.localdate()
    if kind == "zwangerschap":
        due = today + timedelta(days=(40 - int(number)) * 7)
        return Child.objects.create(family=family, first_name="Baby", due_date=due)
    if unit in UNITS:
        born = today - timedelta(days=int(number) * UNITS[unit])
    else:
        born = add_months(today, -int(number) * (12 if unit == "jaar" else 1))
    return Child.objects.create(family=family, first_name="Kind", date_of_birth=born)


def alarms_for(case: Case) -> list:
    """The rules the real service finds for this question, with the family built in the DB."""
    family = make_family()
    for label in filter(None, (part.strip() for part in case.family.split(";"))):
        _make_child(family, label)
    child = None if case.about == "ouder" else _make_child(family, case.about)
    return services.find_alarm_rules(text=case.text, family_id=family.pk, child=child)


def measure(cases: list[Case]) -> Figures:
    missed, wrongly = [], []
    for case in cases:
        fired = bool(alarms_for(case))
        if case.alarm and not fired:
            missed.append(case)
        if not case.alarm and fired:
            wrongly.append(case)
    alarming = sum(case.alarm for case in cases)
    return Figures(
        alarming=alarming,
        caught=alarming - len(missed),
        ordinary=len(cases) - alarming,
        false_alarms=len(wrongly),
        missed=tuple(missed),
        wrongly_alarmed=tuple(wrongly),
    )


def _report(capsys, name: str, figures: Figures) -> None:
    with capsys.disabled():
        print(f"\n  alarm corpus {figures.line(name)}")
        for case in figures.missed:
            print(f"    missed: [{case.about}] {case.text}")
        for case in figures.wrongly_alarmed:
            print(f"    false alarm: [{case.about}] {case.text}")


def test_corpus_is_large_enough_and_half_alarming():
    cases = load("tuning.csv") + load("heldout.csv")
    assert len(cases) >= 100
    assert sum(case.alarm for case in cases) == len(cases) // 2
    assert len(load("heldout.csv")) == len(cases) // 4


@pytest.mark.django_db
def test_every_alarming_tuning_sentence_gets_the_call_now_page(capsys):
    figures = measure(load("tuning.csv"))
    _report(capsys, "tuning", figures)
    assert figures.missed == ()
    assert figures.false_alarm_rate <= TUNING_FALSE_ALARMS_AT_MOST


@pytest.mark.django_db
def test_held_out_sentences_do_not_get_worse(capsys):
    figures = measure(load("heldout.csv"))
    _report(capsys, "held-out", figures)
    assert figures.recall >= HELD_OUT_RECALL_AT_LEAST
    assert figures.false_alarm_rate <= HELD_OUT_FALSE_ALARMS_AT_MOST
