"""The outreach worklist: each "not reached" rule with a frozen clock, actions, escalation,
counts, the CSV export and the parent's download."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from afspraken.models import Appointment, FollowUp
from bereik import selectors, services
from bereik.models import AttentionReason, OutreachAction, OutreachCase
from contactmomenten.models import ChildMoment, ContactMoment, PreConsultQuestion
from families.models import Child
from outbox.models import OutgoingEmail
from privacy.fields import contains_id
from privacy.models import AccessLog
from teams.models import PostcodeArea, Team, TeamMembership, Wijk
from teams.services import refresh_family_teams
from tests.afspraken.factories import make_appointment
from tests.factories import make_child, make_family, make_parent, make_staff

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def only_8_weeks():
    from contactmomenten.seed import load

    load(ContactMoment, PreConsultQuestion)
    ContactMoment.objects.exclude(code="cb-8w").update(is_active=False)
    return ContactMoment.objects.get(code="cb-8w")


def _today():
    return timezone.localdate()


def _born_window_closed(days_ago: int):
    """A date of birth whose 8-week window (target +7 days) closed `days_ago` days ago."""
    return _today() - timedelta(days=days_ago) - timedelta(days=56 + 7) - timedelta(days=1)


def _work(actor=None, **kwargs):
    return selectors.list_worklist(actor=actor or make_staff(), **kwargs)


def _reasons(work, child):
    item = next((i for i in work.items if i.child.pk == child.pk), None)
    return [] if item is None else [r.code for r in item.reasons]


# --- The rules ----------


def test_window_closed_with_nothing_attended_is_on_the_list(only_8_weeks):
    child = make_child(date_of_birth=_born_window_closed(0))
    assert _reasons(_work(), child) == ["window_closed"]


def test_window_still_open_or_attended_is_not_on_the_list(only_8_weeks):
    open_now = make_child(date_of_birth=_today() - timedelta(days=56))
    attended = make_child(date_of_birth=_born_window_closed(3))
    ChildMoment.objects.create(
        child=attended,
        moment=only_8_weeks,
        version=1,
        window_opens=_today() - timedelta(days=20),
        window_closes=_today() - timedelta(days=4),
        state=ChildMoment.State.ATTENDED,
    )
    work = _work()
    assert _reasons(work, open_now) == [] and _reasons(work, attended) == []


def test_no_show_without_follow_up_is_on_the_list_until_followed_up(only_8_weeks):
    parent = make_parent()
    child = make_child(family=parent.family, age_months=30)
    appointment = make_appointment(
        starts_at=NOW - timedelta(days=2),
        parent=parent,
        child=child,
        status=Appointment.Status.NO_SHOW,
    )
    assert _reasons(_work(), child) == ["no_show"]
    FollowUp.objects.create(
        appointment=appointment, kind=FollowUp.Kind.CALL_FAMILY, done_at=timezone.now()
    )
    assert _reasons(_work(), child) == []


def test_no_show_leaves_the_list_when_a_new_appointment_is_booked(only_8_weeks):
    parent = make_parent()
    child = make_child(family=parent.family, age_months=30)
    make_appointment(
        starts_at=NOW - timedelta(days=2),
        parent=parent,
        child=child,
        status=Appointment.Status.NO_SHOW,
    )
    make_appointment(
        starts_at=NOW + timedelta(days=5), parent=parent, child=child, booked_days_before=1
    )
    assert _reasons(_work(), child) == []


def test_cancelled_counts_only_after_14_days_without_a_new_appointment(only_8_weeks):
    parent = make_parent()
    child = make_child(family=parent.family, age_months=30)
    recent = make_child(family=make_parent().family, age_months=30)
    make_appointment(
        starts_at=NOW + timedelta(days=3),
        parent=parent,
        child=child,
        status=Appointment.Status.CANCELLED,
        changed_at=NOW - timedelta(days=15),
    )
    make_appointment(
        starts_at=NOW + timedelta(days=3),
        parent=recent.family.parents.get(),
        child=recent,
        status=Appointment.Status.CANCELLED_BY_JGZ,
        changed_at=NOW - timedelta(days=13),
    )
    work = _work()
    assert _reasons(work, child) == ["cancelled"]
    assert _reasons(work, recent) == []
    make_appointment(
        starts_at=NOW + timedelta(days=9), parent=parent, child=child, booked_days_before=0
    )
    assert _reasons(_work(), child) == []


def test_failed_invitation_puts_the_youngest_child_on_the_list(only_8_weeks):
    parent = make_parent()
    older = make_child(family=parent.family, age_months=40)
    baby = make_child(family=parent.family, age_months=2)
    failed = OutgoingEmail.objects.create(
        to=parent.email.upper(),
        subject="Uitnodiging",
        body_text="...",
        kind="contactmomenten_invitation",
        status=OutgoingEmail.Status.FAILED,
        created_at=NOW - timedelta(days=1),
    )
    work = _work()
    assert _reasons(work, baby) == ["failed"] and _reasons(work, older) == []
    OutgoingEmail.objects.create(
        to=parent.email,
        subject="Uitnodiging",
        body_text="...",
        kind="contactmomenten_reminder",
        status=OutgoingEmail.Status.SENT,
        created_at=failed.created_at + timedelta(hours=1),
    )
    assert _reasons(_work(), baby) == []


def test_extra_attention_is_on_the_list_logged_and_in_the_familys_download(only_8_weeks):
    from privacy.registry import EXPORTERS

    nurse = make_staff()
    parent = make_parent()
    child = make_child(family=parent.family, age_months=1)
    reason = AttentionReason.objects.create(
        name="Taalbarrière", parent_text="We helpen je graag in je eigen taal."
    )
    flag = services.flag_attention(actor=nurse, family_id=parent.family_id, reason_id=reason.pk)
    assert AccessLog.objects.filter(
        contains_id("family_ids", parent.family_id), actor=nurse, action="change"
    ).exists()
    work = _work(nurse)
    assert _reasons(work, child) == ["attention"]
    item = work.items[0]
    assert [f.reason.name for f in item.flags] == ["Taalbarrière"]
    sections = EXPORTERS["bereik"](user=parent, family=parent.family)
    attention = next(s for s in sections if s.key == "attention")
    assert attention.rows[0]["what"] == "We helpen je graag in je eigen taal."
    assert "Taalbarrière" not in str(attention.rows)
    services.remove_attention(actor=nurse, flag_id=flag.pk)
    assert _reasons(_work(nurse), child) == []


def test_an_assistant_cannot_flag_extra_attention(only_8_weeks):
    from bereik.exceptions import OutreachError

    reason = AttentionReason.objects.create(name="Zorgen", parent_text="Extra contact.")
    with pytest.raises(OutreachError):
        services.flag_attention(
            actor=make_staff(role=User.Role.ASSISTANT),
            family_id=make_family().pk,
            reason_id=reason.pk,
        )


# --- Order, scope, counts ----------


def test_youngest_first_then_longest_overdue(only_8_weeks):
    late = make_child(date_of_birth=_born_window_closed(30))
    recent = make_child(date_of_birth=_born_window_closed(2))
    toddler = make_child(age_months=30)
    make_appointment(
        starts_at=NOW - timedelta(days=60),
        parent=make_parent(family=toddler.family),
        child=toddler,
        status=Appointment.Status.NO_SHOW,
    )
    order = [i.child.pk for i in _work().items]
    assert order == [late.pk, recent.pk, toddler.pk]


def test_the_list_shows_only_the_own_teams_families_and_the_wijk_counts(only_8_weeks):
    north, south = Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")
    overvecht = Wijk.objects.create(name="Overvecht", team=north)
    PostcodeArea.objects.create(digits="3561", wijk=overvecht)
    PostcodeArea.objects.create(
        digits="3521", wijk=Wijk.objects.create(name="Kanaleneiland", team=south)
    )
    nurse = make_staff()
    TeamMembership.objects.create(team=north, user=nurse)
    ours = make_child(family=make_family(postcode="3561 AB"), date_of_birth=_born_window_closed(1))
    theirs = make_child(
        family=make_family(postcode="3521 CD"), date_of_birth=_born_window_closed(1)
    )
    reached = make_child(
        family=make_family(postcode="3561 XY"), date_of_birth=_born_window_closed(5)
    )
    refresh_family_teams()
    services.record_outreach_action(actor=nurse, child_id=reached.pk, kind="reached")
    work = _work(nurse)
    assert [i.child.pk for i in work.items] == [ours.pk]
    assert _reasons(work, theirs) == []
    assert work.counts == [{"wijk": "Overvecht", "open": 1, "reached": 1}]


# --- Actions ----------


def test_three_fruitless_attempts_go_to_the_teams_youth_doctor(only_8_weeks):
    team = Team.objects.create(name="Noord")
    PostcodeArea.objects.create(
        digits="3561", wijk=Wijk.objects.create(name="Overvecht", team=team)
    )
    assistant = make_staff(role=User.Role.ASSISTANT)
    doctor = make_staff(role=User.Role.DOCTOR, email="jeugdarts@example.org")
    TeamMembership.objects.create(team=team, user=assistant)
    TeamMembership.objects.create(team=team, user=doctor)
    child = make_child(family=make_family(postcode="3561 AB"), date_of_birth=_born_window_closed(1))
    refresh_family_teams()
    services.record_outreach_action(
        actor=assistant, child_id=child.pk, kind="called", outcome="no_answer"
    )
    services.record_outreach_action(actor=assistant, child_id=child.pk, kind="home_visit")
    services.record_outreach_action(
        actor=assistant, child_id=child.pk, kind="partner", outcome="wijkteam"
    )
    case = OutreachCase.objects.get(child=child)
    assert case.fruitless_attempts == 2 and case.escalated_at is None
    services.record_outreach_action(
        actor=assistant, child_id=child.pk, kind="called", outcome="other_number"
    )
    case.refresh_from_db()
    assert case.escalated_to == doctor and case.escalated_at == timezone.now()
    mail = OutgoingEmail.objects.get(kind="bereik_escalated")
    assert mail.to == doctor.email
    assert child.first_name not in mail.body_text
    item = _work(assistant).items[0]
    assert item.escalated and item.case.fruitless_attempts == 3
    actions = OutreachAction.objects.filter(case=case).order_by("at", "id")
    assert [(a.kind, a.by_id) for a in actions][0] == ("called", assistant.pk)


def test_reached_takes_the_child_off_the_list_and_a_newer_reason_puts_it_back(only_8_weeks):
    nurse = make_staff()
    parent = make_parent()
    child = make_child(family=parent.family, date_of_birth=_born_window_closed(3))
    services.record_outreach_action(
        actor=nurse, child_id=child.pk, kind="called", outcome="reached"
    )
    assert _reasons(_work(nurse), child) == []
    case = OutreachCase.objects.get(child=child)
    assert case.closing == "reached" and case.closed_at == timezone.now()
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        make_appointment(
            starts_at=timezone.now() - timedelta(hours=2),
            parent=parent,
            child=child,
            status=Appointment.Status.NO_SHOW,
        )
        assert _reasons(_work(nurse), child) == ["no_show"]


def test_closing_needs_a_reason(only_8_weeks, client):
    nurse = make_staff()
    child = make_child(date_of_birth=_born_window_closed(3))
    client.force_login(nurse)
    url = reverse("bereik:action", kwargs={"child_id": child.pk})
    response = client.post(url, {"kind": "closed"}, follow=True)
    assert "Kies waarom je dit afsluit." in response.content.decode()
    assert not OutreachCase.objects.exists()
    client.post(url, {"kind": "closed", "closing": "elsewhere"})
    assert OutreachCase.objects.get(child=child).closing == "elsewhere"
    assert _reasons(_work(nurse), child) == []


# --- Pages ----------


def test_worklist_page_for_planners_only_and_logged(only_8_weeks, client):
    child = make_child(date_of_birth=_born_window_closed(1), first_name="Noor")
    url = reverse("bereik:worklist")
    for role, status in ((User.Role.ASSISTANT, 200), (User.Role.MANAGER, 403)):
        client.force_login(make_staff(role=role))
        assert client.get(url).status_code == status
    client.force_login(make_parent())
    assert client.get(url).status_code == 403
    nurse = make_staff()
    client.force_login(nurse)
    html = client.get(url).content.decode()
    assert "Noor" in html and "Bereiklijst" in html
    assert AccessLog.objects.filter(
        contains_id("child_ids", child.pk), actor=nurse, reason="outreach worklist"
    ).exists()


def test_csv_export_has_pseudonymous_ids_and_no_names(only_8_weeks, client):
    from bereik.models import ImportedChild

    child = make_child(date_of_birth=_born_window_closed(1), first_name="Noor")
    imported = make_child(date_of_birth=_born_window_closed(2), first_name="Sem")
    ImportedChild.objects.create(child=imported, key="DD-777", row_hash="x")
    nurse = make_staff()
    client.force_login(nurse)
    response = client.get(reverse("bereik:export"))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Noor" not in text and "Sem" not in text and str(child.pk) not in text
    lines = text.strip().splitlines()
    assert lines[0].startswith("id;wijk;")
    assert any(line.startswith("DD-777;") for line in lines)
    assert any(line.startswith("p-") for line in lines)
    assert AccessLog.objects.filter(
        contains_id("child_ids", child.pk), actor=nurse, action="export"
    ).exists()


def test_worklist_keeps_a_constant_query_count(only_8_weeks, client, django_assert_max_num_queries):
    nurse = make_staff()
    client.force_login(nurse)
    make_child(date_of_birth=_born_window_closed(1))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("bereik:worklist"))
    families = [make_family(postcode="3561 AB") for _ in range(40)]
    Child.objects.bulk_create(
        Child(
            family=families[i % 40], first_name=f"K{i}", date_of_birth=_born_window_closed(i % 200)
        )
        for i in range(2000)
    )
    parent = make_parent(family=families[0])
    for family in families[:10]:
        make_appointment(
            starts_at=NOW - timedelta(days=3),
            parent=parent,
            child=family.children.first(),
            status=Appointment.Status.NO_SHOW,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("bereik:worklist"))
    assert response.context["work"].total > 1000
