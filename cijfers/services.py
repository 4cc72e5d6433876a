"""Writes of the figures app: keeping the aggregates up to date, the survey, its retention."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cijfers import aggregates
from cijfers.exceptions import NotAllowed, SurveyUsed
from cijfers.models import PublicResponse, SurveyAnswer, SurveyInvitation

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
                .select_related("parent", "family")
                .filter(pk=pk, status=Appointment.Status.ATTENDED)
                .first()
            )
            if appointment is None or SurveyInvitation.objects.filter(appointment=pk).exists():
                continue
            invitation = SurveyInvitation.objects.create(appointment=appointment, sent_at=now)
            _queue_survey(appointment, invitation)
            sent += 1
    return sent


def _queue_survey(appointment, invitation: SurveyInvitation) -> None:
    """By e-mail and/or SMS, as the family chose for its messages (SMS without an e-mail
    address). The text names no visit kind: only that there was a visit."""
    from django.urls import reverse

    from outbox.services import queue_email
    from sms.selectors import get_channels
    from sms.services import queue_templated

    email = appointment.parent.email
    channels = get_channels(family=appointment.family, has_email=bool(email))
    if channels.sms_to:
        link = settings.SITE_URL + reverse("cijfers:survey", args=[invitation.token])
        queue_templated(
            to=channels.sms_to,
            template="cijfers_survey",
            context={"link": link},
            kind="survey",
            family=appointment.family,
        )
    if channels.email:
        queue_email(
            to=email,
            template="cijfers/survey",
            context={"token": invitation.token},
            kind="survey",
        )


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


# --- "Jullie zeiden, wij deden" -----------------------------------------------------------------


def _require_manager(actor) -> None:
    from accounts.roles import Capability

    if not (actor.is_jgz_staff and actor.has_capability(Capability.ADMIN)):
        raise NotAllowed


def write_public_response(
    *, actor, theme: str, you_said: str, we_did: str, publish: bool = False
) -> PublicResponse:
    """A manager's response to a theme in the feedback; published today when `publish`."""
    _require_manager(actor)
    return PublicResponse.objects.create(
        theme=theme.strip(),
        you_said=you_said.strip(),
        we_did=we_did.strip(),
        is_published=publish,
        published_on=timezone.localdate() if publish else None,
    )


def set_response_published(*, actor, response_id, published: bool) -> PublicResponse:
    """Publish (dated today) or withdraw a response from the public page."""
    _require_manager(actor)
    with transaction.atomic():
        response = PublicResponse.objects.select_for_update().filter(pk=response_id).first()
        if response is None:
            raise NotAllowed
        response.is_published = published
        if published:
            response.published_on = timezone.localdate()
        response.save(update_fields=["is_published", "published_on"])
    return response
