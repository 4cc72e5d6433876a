"""Who gets an edition: the children's age on the send day, once per parent."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from families.models import Child
from nieuwsbrieven import selectors
from nieuwsbrieven.models import Subscription
from tests.factories import born_on, make_family, make_parent
from tests.nieuwsbrieven.factories import make_edition, make_subscription

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def _recipients(edition, day):
    return list(selectors.iter_edition_recipients(edition=edition, day=day))


def _subscribed_family():
    family = make_family()
    parent = make_parent(family=family)
    subscription = make_subscription(parent=parent)
    return family, subscription


def test_first_birthday_on_send_day_moves_child_to_next_phase():
    family, subscription = _subscribed_family()
    born_on(date(2025, 3, 10), family=family)
    day = date(2026, 3, 10)
    assert _recipients(make_edition(age=(0, 12)), day) == []
    assert [r[0] for r in _recipients(make_edition(age=(12, 48)), day)] == [str(subscription.pk)]


def test_day_before_first_birthday_is_still_first_year():
    family, subscription = _subscribed_family()
    born_on(date(2025, 3, 10), family=family)
    assert len(_recipients(make_edition(age=(0, 12)), date(2026, 3, 9))) == 1


def test_leap_day_child_turns_one_on_28_february():
    family, _subscription = _subscribed_family()
    born_on(date(2024, 2, 29), family=family)
    first_year = make_edition(age=(0, 12))
    assert len(_recipients(first_year, date(2025, 2, 27))) == 1
    assert _recipients(first_year, date(2025, 2, 28)) == []
    assert len(_recipients(make_edition(age=(12, 48)), date(2025, 2, 28))) == 1


def test_pregnancy_edition_targets_by_week():
    family, _subscription = _subscribed_family()
    day = date(2026, 6, 1)
    # Due in 140 days: 20 weeks pregnant on the send day.
    Child.objects.create(family=family, first_name="Baby", due_date=day + timedelta(140))
    assert len(_recipients(make_edition(weeks=(20, 21)), day)) == 1
    assert _recipients(make_edition(weeks=(21, 30)), day) == []
    assert _recipients(make_edition(weeks=(12, 20)), day) == []


def test_born_child_gets_no_pregnancy_edition():
    family, _subscription = _subscribed_family()
    born_on(date(2026, 5, 1), family=family)
    assert _recipients(make_edition(weeks=(0, 43)), date(2026, 6, 1)) == []


def test_two_children_in_range_give_one_delivery_naming_the_youngest():
    family, subscription = _subscribed_family()
    born_on(date(2021, 1, 5), family=family, first_name="Sem")
    born_on(date(2023, 6, 5), family=family, first_name="Lotte")
    rows = _recipients(make_edition(age=(12, 144)), date(2026, 6, 1))
    assert len(rows) == 1
    assert rows[0][0] == str(subscription.pk)
    assert rows[0][2] == "Lotte"


def test_each_subscribed_parent_of_a_family_gets_it():
    family, first = _subscribed_family()
    second = make_subscription(parent=make_parent(family=family))
    born_on(date(2026, 1, 5), family=family)
    rows = _recipients(make_edition(age=(0, 12)), date(2026, 6, 1))
    assert sorted(r[0] for r in rows) == sorted([str(first.pk), str(second.pk)])


@pytest.mark.parametrize("status", [Subscription.Status.PENDING, Subscription.Status.UNSUBSCRIBED])
def test_parent_without_active_subscription_gets_nothing(status):
    family = make_family()
    make_subscription(parent=make_parent(family=family), status=status)
    born_on(date(2026, 1, 5), family=family)
    assert _recipients(make_edition(age=(0, 12)), date(2026, 6, 1)) == []


def test_send_day_is_the_local_date_of_scheduled_time(django_capture_on_commit_callbacks):
    from nieuwsbrieven import services

    family, _subscription = _subscribed_family()
    born_on(date(2025, 3, 10), family=family)
    # 23:30 UTC on 9 March is 00:30 on 10 March in Amsterdam: the first birthday.
    scheduled = datetime(2026, 3, 10, 0, 30, tzinfo=AMS)
    edition = make_edition(age=(0, 12), scheduled_at=scheduled)
    with django_capture_on_commit_callbacks():
        assert services.start_edition(edition_id=edition.pk, now=scheduled) == 0
    edition.refresh_from_db()
    assert edition.send_day == date(2026, 3, 10)
