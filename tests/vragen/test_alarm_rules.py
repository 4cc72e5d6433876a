"""Alarm rules: word patterns with Dutch word forms, combined with the child's age or a pregnancy
from the family data; kept by the jeugdarts in the admin, tested by their own sentences."""

from datetime import date, timedelta

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import make_child, make_parent, make_staff
from tests.vragen.factories import make_question
from vragen import alarms, services
from vragen.exceptions import NotAllowed
from vragen.forms import AlarmRuleForm
from vragen.models import AlarmRule, AlarmRuleChange, Urgency

TODAY = date(2026, 3, 10)


def _matches(pattern: str, text: str) -> bool:
    return bool(alarms.compile_pattern(pattern).spans(alarms.tokenize(text)))


# --- Patterns (pure) ---------------------------------------------------------------------------


def test_a_star_matches_dutch_word_forms_a_plain_word_does_not():
    assert _matches("koorts*", "Ze is koortsig sinds vanochtend")
    assert not _matches("koorts", "Ze is koortsig sinds vanochtend")
    assert _matches("koorts", "Hij heeft KOORTS.")


def test_a_decimal_comma_and_point_are_the_same_number():
    assert _matches("38,*", "Ik mat 38.4 in haar billetjes")
    assert _matches("38,5", "Hij heeft 38,5")
    assert not _matches("38,*", "Hij drinkt 380 ml per dag")
    assert _matches("39 graden", "Ze heeft 39°")


def test_dots_allow_up_to_five_words_in_between():
    five = "Hij drinkt sinds gisteren eigenlijk helemaal bijna niet"
    six = "Hij drinkt sinds gisteren eigenlijk helemaal echt bijna niet"
    assert _matches("drinkt ... niet", five)
    assert not _matches("drinkt ... niet", six)


def test_ignore_blanks_only_its_own_words():
    rule = alarms.compile_rule(
        audience=alarms.EVERYONE,
        younger_than_months=None,
        word_lists=["koorts"],
        ignore="geen koorts",
    )
    assert not rule.words_match(alarms.tokenize("Ze heeft geen koorts."))
    assert rule.words_match(alarms.tokenize("Gisteren geen koorts, nu wel koorts."))


@pytest.mark.parametrize(("line", "reason"), [("a*", "prefix"), ("... koorts", "gap_at_edge")])
def test_invalid_patterns_are_refused(line, reason):
    with pytest.raises(alarms.PatternError, match=reason):
        alarms.compile_pattern(line)


def test_ages_written_in_the_question_count_but_not_pregnancy_weeks_or_durations():
    def births(text):
        return alarms.ages_in_text(alarms.tokenize(text), TODAY)

    assert births("Mijn baby van 5 weken hoest") == {TODAY - timedelta(days=35)}
    assert births("Onze pasgeboren zoon") == {TODAY}
    assert births("Ze is twee maanden oud") == {date(2026, 1, 10)}
    assert births("Ik ben 33 weken zwanger") == set()
    assert births("Hij hoest sinds 2 weken") == set()


# --- Rules with the family data (seeded rules, real service) -----------------------------------


@pytest.mark.django_db
def test_fever_and_poor_drinking_in_a_five_week_old_is_an_alarm(parent):
    baby = make_child(family=parent.family, date_of_birth=timezone.localdate() - timedelta(weeks=5))
    for text in [
        "Mijn baby van 5 weken heeft koorts en drinkt slecht",
        "Hij heeft 39 graden koorts",
        "Ze is koortsig, de temperatuur is 38,3",
    ]:
        rules = services.find_alarm_rules(text=text, family_id=parent.family_id, child=baby)
        assert "Koorts bij een baby jonger dan 3 maanden" in [r.name for r in rules], text


@pytest.mark.django_db
def test_fever_at_four_months_is_not_the_newborn_alarm(parent):
    child = make_child(family=parent.family, age_months=4)
    text = "Hij heeft 39 graden koorts na de prik"
    assert services.find_alarm_rules(text=text, family_id=parent.family_id, child=child) == []


@pytest.mark.django_db
def test_a_question_about_the_parent_counts_the_familys_baby_when_it_mentions_a_child(parent):
    make_child(family=parent.family, date_of_birth=timezone.localdate() - timedelta(weeks=3))
    text = "Onze baby heeft koorts, wat moet ik doen?"
    assert services.find_alarm_rules(text=text, family_id=parent.family_id)
    assert not services.find_alarm_rules(text="Ik heb koorts.", family_id=parent.family_id)


@pytest.mark.django_db
def test_not_drinking_counts_under_six_months_only(parent):
    baby = make_child(family=parent.family, age_months=4)
    toddler = make_child(family=parent.family, age_months=14)
    text = "Sinds vanochtend drinkt ze niet meer en haar luiers blijven droog"
    assert services.find_alarm_rules(text=text, family_id=parent.family_id, child=baby)
    assert not services.find_alarm_rules(text=text, family_id=parent.family_id, child=toddler)


@pytest.mark.django_db
def test_breathing_blue_and_unresponsive_alarm_at_any_age(parent):
    teenager = make_child(family=parent.family, age_months=15 * 12)
    for text in ["Hij is erg benauwd", "Zijn lippen zijn blauw", "Ze reageert niet meer"]:
        assert services.find_alarm_rules(text=text, family_id=parent.family_id, child=teenager)


@pytest.mark.django_db
def test_pregnancy_rules_apply_to_an_expected_child_and_to_its_parent(parent):
    expected = make_child(family=parent.family, due_in_days=60)
    text = "Ik voel de baby sinds vanochtend niet meer bewegen"
    for child in (expected, None):
        rules = services.find_alarm_rules(text=text, family_id=parent.family_id, child=child)
        assert [r.call_midwife for r in rules] == [True]
    toddler = make_child(family=make_parent().family, age_months=30)
    assert not services.find_alarm_rules(
        text="Ik verlies bloed", family_id=toddler.family_id, child=toddler
    )


@pytest.mark.django_db
def test_the_demo_pregnancy_question_gets_call_now():
    from vragen.demo import QUESTIONS

    parent = make_parent()
    make_child(family=parent.family, due_in_days=70)
    text = next(q[3] for q in QUESTIONS if q[2] == "Ziek zijn en gezondheid")
    assert services.find_alarm_rules(text=text, family_id=parent.family_id)


@pytest.mark.django_db
def test_thoughts_of_harm_and_violence_alarm_with_113_and_veilig_thuis(parent):
    harm = services.find_alarm_rules(
        text="Ik ben bang dat ik mijn baby iets aandoe", family_id=parent.family_id
    )
    suicide = services.find_alarm_rules(text="Ik wil niet meer leven", family_id=parent.family_id)
    violence = services.find_alarm_rules(text="Mijn partner slaat mij", family_id=parent.family_id)
    everything_but_midwife = ["call_112", "call_gp", "call_113", "call_veilig_thuis"]
    assert services.numbers_to_call(harm) == everything_but_midwife
    assert services.numbers_to_call(suicide) == ["call_112", "call_113"]
    assert services.numbers_to_call(violence) == ["call_112", "call_veilig_thuis"]


@pytest.mark.django_db
def test_feverish_newborn_question_is_urgent_on_top_of_the_queue(parent, nurse):
    baby = make_child(family=parent.family, date_of_birth=timezone.localdate() - timedelta(weeks=5))
    make_question(parent=parent, text="Hoe vaak moet ik haar voeden?", child=baby)
    question = make_question(parent=parent, text="Ze heeft 39 graden koorts", child=baby)
    assert question.is_alarm and question.urgency == Urgency.URGENT
    assert question.triage_decisions.get().decided_by is None


@pytest.mark.django_db
def test_every_seeded_rule_passes_its_own_test_sentences():
    rules = list(AlarmRule.objects.all())
    assert len(rules) >= 15
    for rule in rules:
        form = AlarmRuleForm(data=model_to_dict(rule), instance=rule)
        assert form.is_valid(), (rule.name, form.errors)


# --- The jeugdarts keeps the rules in the admin -----------------------------------------------


def _rule_data(**overrides) -> dict:
    return {
        "name": "Testregel vallen",
        "is_active": "on",
        "audience": "everyone",
        "younger_than_months": "",
        "words": "van de commode gevallen",
        "and_words": "",
        "and_also_words": "",
        "ignore": "",
        "advice_nl": "Bel nu je huisarts.",  # one field per language
        "call_112": "on",
        "call_gp": "on",
        "must_match": "[6 maanden] Ze is van de commode gevallen.",
        "must_not_match": "[6 maanden] Ze rolt om op de commode.",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
        **overrides,
    }


@pytest.fixture
def doctor(db):
    return make_staff(role=User.Role.DOCTOR, first_name="Jeroen", last_name="de Boer")


@pytest.mark.django_db
def test_doctor_adds_a_rule_and_the_change_is_recorded(client, doctor):
    client.force_login(doctor)
    response = client.post(reverse("admin:vragen_alarmrule_add"), _rule_data())
    assert response.status_code == 302, response.text
    rule = AlarmRule.objects.get(name="Testregel vallen")
    assert rule.changed_by == doctor
    change = AlarmRuleChange.objects.get(rule=rule)
    assert change.action == "created" and change.changed_by_name == "Jeroen de Boer"
    assert change.after["words"] == "van de commode gevallen"


@pytest.mark.django_db
def test_rule_that_misses_its_own_test_sentence_is_not_saved(client, doctor):
    client.force_login(doctor)
    data = _rule_data(must_match="[6 maanden] Ze viel van het aankleedkussen.")
    response = client.post(reverse("admin:vragen_alarmrule_add"), data)
    assert response.status_code == 200
    assert "Deze testzin moet alarm geven, maar geeft geen alarm" in response.text
    assert "Ze viel van het aankleedkussen." in response.text
    assert not AlarmRule.objects.filter(name="Testregel vallen").exists()


@pytest.mark.django_db
def test_rule_that_alarms_on_a_must_not_sentence_is_not_saved(client, doctor):
    client.force_login(doctor)
    data = _rule_data(must_not_match="[6 maanden] Ze is bijna van de commode gevallen.")
    response = client.post(reverse("admin:vragen_alarmrule_add"), data)
    assert "Deze testzin mag geen alarm geven, maar geeft wel alarm" in response.text
    assert not AlarmRule.objects.filter(name="Testregel vallen").exists()


@pytest.mark.django_db
def test_a_child_rule_needs_an_age_and_patterns_must_be_valid(client, doctor):
    client.force_login(doctor)
    data = _rule_data(audience="child", words="va*")
    response = client.post(reverse("admin:vragen_alarmrule_add"), data)
    assert "Vul de leeftijd in waaronder deze regel geldt." in response.text
    assert "zet minstens 3 letters voor de *" in response.text


@pytest.mark.django_db
def test_doctor_changes_and_deletes_a_rule_with_before_and_after_recorded(client, doctor):
    client.force_login(doctor)
    rule = AlarmRule.objects.get(name="Stuip of trekkingen")
    current = {k: v for k, v in model_to_dict(rule).items() if v not in (None, False)}
    data = {**_rule_data(), **current, "words": rule.words + "\nwegraking"}
    response = client.post(reverse("admin:vragen_alarmrule_change", args=[rule.pk]), data)
    assert response.status_code == 302, response.text
    change = AlarmRuleChange.objects.get(rule=rule, action="changed")
    assert "wegraking" not in change.before["words"] and "wegraking" in change.after["words"]
    response = client.post(
        reverse("admin:vragen_alarmrule_delete", args=[rule.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    deleted = AlarmRuleChange.objects.get(action="deleted", rule_name=rule.name)
    assert deleted.changed_by == doctor and "wegraking" in deleted.before["words"]


@pytest.mark.django_db
def test_manager_reads_rules_but_cannot_change_them(client, manager):
    client.force_login(manager)
    rule = AlarmRule.objects.first()
    assert client.get(reverse("admin:vragen_alarmrule_changelist")).status_code == 200
    page = client.get(reverse("admin:vragen_alarmrule_change", args=[rule.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert client.get(reverse("admin:vragen_alarmrule_add")).status_code == 403
    response = client.post(reverse("admin:vragen_alarmrule_change", args=[rule.pk]), {})
    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        services.save_alarm_rule(actor=manager, rule=rule)


@pytest.mark.django_db
def test_nurse_has_no_admin_and_doctor_sees_the_rules(client, nurse, doctor):
    client.force_login(nurse)
    response = client.get(reverse("admin:vragen_alarmrule_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(doctor)
    assert "Alarmregels" in client.get(reverse("admin:index")).text


# --- The "Bel nu" page -------------------------------------------------------------------------


def _ask(client, *, about="parent", text, **extra):
    from tests.vragen.factories import topic

    data = {"about": about, "topic": topic().pk, "text": text, "channel": "online", **extra}
    return client.post(reverse("vragen:ask"), data)


@pytest.mark.django_db
def test_feverish_newborn_question_shows_call_now_with_tap_to_call_numbers(parent_client, parent):
    baby = make_child(family=parent.family, date_of_birth=timezone.localdate() - timedelta(weeks=5))
    response = _ask(parent_client, about=str(baby.pk), text="Hij heeft 39 graden koorts.")
    assert response.status_code == 200 and "Bel nu" in response.text
    assert "Koorts bij een baby jonger dan 3 maanden is altijd een reden" in response.text
    assert 'href="tel:112"' in response.text and 'href="tel:09001515"' in response.text
    assert "tel:113" not in response.text and "tel:08002000" not in response.text


@pytest.mark.django_db
def test_call_now_for_thoughts_of_harm_links_113_and_veilig_thuis(parent_client, parent):
    response = _ask(parent_client, text="Ik ben bang dat ik mijn baby iets aandoe als hij huilt.")
    for number in ["112", "113", "08000113", "08002000"]:
        assert f'href="tel:{number}"' in response.text


@pytest.mark.django_db
def test_call_now_in_pregnancy_says_call_your_midwife(parent_client, parent):
    make_child(family=parent.family, due_in_days=50)
    response = _ask(parent_client, text="Ik heb erge hoofdpijn en zie sterretjes.")
    assert "Bel je verloskundige op het spoednummer" in response.text
    assert 'href="tel:112"' in response.text


@pytest.mark.django_db
def test_the_rule_that_fired_is_stored_and_shown_on_the_staff_question_page(client, parent, nurse):
    baby = make_child(family=parent.family, date_of_birth=timezone.localdate() - timedelta(weeks=5))
    question = make_question(parent=parent, text="Ze heeft 39 graden koorts", child=baby)
    expected = services.find_alarm_rules(
        text="Ze heeft 39 graden koorts", family_id=parent.family_id, child=baby
    )[0]
    assert question.alarm_rule == expected and question.alarm_rule_name == expected.name
    calm = make_question(parent=parent, text="Hoe vaak moet ik haar voeden?", child=baby)
    assert calm.alarm_rule is None and calm.alarm_rule_name == ""

    client.force_login(nurse)
    page = client.get(reverse("vragen:staff_question", args=[question.pk])).content.decode()
    assert f"Alarmregel: {expected.name}" in page
    # Renaming the rule later does not rewrite what fired then.
    AlarmRule.objects.filter(pk=expected.pk).update(name="Hernoemd")
    page = client.get(reverse("vragen:staff_question", args=[question.pk])).content.decode()
    assert f"Alarmregel: {expected.name}" in page
