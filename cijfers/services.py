"""Writes of the figures app: keeping the aggregates up to date, the survey, its retention."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cijfers import aggregates
from cijfers.exceptions import SurveyUsed
from cijfers.models import SurveyAnswer, SurveyInvitation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefreshReport:
    domain: str
    start: date
    end: date
    days: int


def refresh_figures(*, today: date | None = None) -> RefreshReport:
    """The periodic update: recompute the last `CIJFERS_REFRESH_DAYS` days of every table
    (questions get answered, appointments cancelled, moments attended after the day they
    count on), count today's subscribers and update recently sent editions. Idempotent."""
    today = today or timezone.localdate()
    start = today - timedelta(days=settings.CIJFERS_REFRESH_DAYS)
    days = sum(aggregates.recompute(domain, start, today) for domain in aggregates.DOMAINS)
    aggregates.count_subscribers(today)
    aggregates.compute_editions(start - timedelta(days=7))
    return RefreshReport(domain="all", start=start, end=today, days=days)


def rebuild_figures(*, today: date | None = None) -> list[RefreshReport]:
    """Recompute every day whose raw rows are all still inside retention; days before that
    keep their aggregates (the raw rows are gone, so recomputing would lose them)."""
    today = today or timezone.localdate()
    reports = []
    for domain in aggregates.DOMAINS:
        first = aggregates.earliest_raw_day(domain)
        if first is None:
            continue
        start = max(first, aggregates.retention_start(domain, today))
        reports.append(
            RefreshReport(
                domain=domain,
                start=start,
                end=today,
                days=aggregates.recompute(domain, start, today),
            )
        )
    aggregates.count_subscribers(today)
    aggregates.compute_editions(aggregates.retention_start("newsletters", today))
    return reports


# --- Satisfaction survey ----------------------------------------------------------------------


def send_survey_invitations(*, now: datetime | None = None) -> int:
    """Invite for the survey the day after an attended consult or group meeting: one
    invitation per appointment (unique), written with its outbox e-mail while the
    appointment row is locked, so two scans at once send it once."""
    from afspraken.models import Appointment
    from outbox.services import queue_email

    now = now or timezone.now()
    today = timezone.localdate(now)
    lo, _hi = aggregates._bounds(
        today - timedelta(days=settings.CIJFERS_SURVEY_LOOKBACK_DAYS), today
    )
    _lo, hi = aggregates._bounds(today - timedelta(days=1), today - timedelta(days=1))
    candidates = Appointment.objects.filter(
        status=Appointment.Status.ATTENDED,
        starts_at__gte=lo,
        starts_at__lt=hi,
        survey_invitation__isnull=True,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("parent")
                .filter(pk=pk, status=Appointment.Status.ATTENDED)
                .first()
            )
            if appointment is None or SurveyInvitation.objects.filter(appointment=pk).exists():
                continue
            invitation = SurveyInvitation.objects.create(appointment=appointment, sent_at=now)
            queue_email(
                to=appointment.parent.email,
                template="cijfers/survey",
                context={"token": invitation.token},
                kind="survey",
            )
            sent += 1
    return sent


def get_open_invitation(*, token: str) -> SurveyInvitation | None:
    return SurveyInvitation.objects.filter(token=token).first()


def answer_survey(
    *, token: str, enough_time: bool, discussed: str, score: int, remark: str = ""
) -> SurveyAnswer:
    """Store one answer for the visit behind `token`. The invitation is claimed by a
    conditional update (one answer per visit, also when two tabs post at once); the answer
    copies only the week, team and location, never the visit or the family."""
    from teams.models import FamilyTeam

    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_related("appointment__slot").filter(token=token).first()
        )
        if invitation is None:
            raise SurveyUsed
        claimed = SurveyInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if claimed != 1:
            raise SurveyUsed
        appointment = invitation.appointment
        today = timezone.localdate()
        team_id = location_id = None
        if appointment is not None:
            location_id = appointment.slot.location_id
            team_id = (
                FamilyTeam.objects.filter(family_id=appointment.family_id)
                .values_list("team_id", flat=True)
                .first()
            )
        try:
            return SurveyAnswer.objects.create(
                week=today - timedelta(days=today.weekday()),
                team_id=team_id,
                location_id=location_id,
                enough_time=enough_time,
                discussed=discussed,
                score=score,
                remark=remark.strip(),
            )
        except IntegrityError as exc:  # the score constraint: the form checks it first
            raise SurveyUsed from exc


def clear_old_remarks(*, today: date | None = None) -> int:
    """Free-text remarks are kept one year (`CIJFERS_REMARK_DAYS`); the scores stay. Survey
    links of that age go too: they only tied a visit to "answered or not"."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.CIJFERS_REMARK_DAYS)
    old_links, _deleted = aggregates._bounds(cutoff, cutoff)
    SurveyInvitation.objects.filter(sent_at__lt=old_links).delete()
    return SurveyAnswer.objects.filter(week__lt=cutoff).exclude(remark="").update(remark="")
