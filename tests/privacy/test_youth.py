import pytest
from django.urls import reverse

from privacy.youth import private_questions_cutoff, shows_youth_notice
from tests.factories import make_child

pytestmark = pytest.mark.django_db


def test_family_page_shows_notice_for_child_of_12(parent_client, parent):
    make_child(family=parent.family, age_months=12 * 12, first_name="Sam")
    response = parent_client.get(reverse("families:home"))
    assert "youth-notice" in response.text


def test_family_page_has_no_notice_for_child_of_11(parent_client, parent):
    make_child(family=parent.family, age_months=12 * 12 - 1)
    assert "youth-notice" not in parent_client.get(reverse("families:home")).text


def test_notice_age_is_a_setting(settings):
    settings.YOUTH_NOTICE_FROM_AGE = 14
    assert not shows_youth_notice(make_child(age_months=13 * 12))


def test_expected_child_has_no_notice():
    assert not shows_youth_notice(make_child(due_in_days=30))


def test_private_cutoff_switches_off_with_zero(settings):
    settings.YOUTH_PRIVATE_QUESTIONS_FROM_AGE = 0
    assert private_questions_cutoff() is None


def test_child_of_exactly_16_is_past_the_cutoff():
    child = make_child(age_months=16 * 12)
    assert child.date_of_birth <= private_questions_cutoff()
    younger = make_child(age_months=16 * 12 - 1)
    assert younger.date_of_birth > private_questions_cutoff()
