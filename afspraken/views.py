from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import cohost_required, parent_required, planner_required
from accounts.roles import Capability
from afspraken import hooks, selectors, services
from afspraken.exceptions import BookingError, PastCutoff
from afspraken.forms import (
    AGE_MESSAGES,
    BookingStartForm,
    CancelForm,
    ConfirmForm,
    GroupBookForm,
    JgzCancelForm,
    OutcomeForm,
    ParentLookupForm,
    StaffBookingForm,
    TopicsForm,
    WeekForm,
)
from afspraken.ical import PUBLISH, build_ics
from afspraken.models import Appointment
from core.ratelimit import rate_limit
from teams.selectors import list_teams

SELECTED = mark_safe(" selected")  # noqa: S308 - a constant


def error_message(
    exc: BookingError, *, phone: str = "", group: bool = False, staff: bool = False
) -> str:
    """The Dutch text for a refused booking or change; `group` words it for a meeting and
    `staff` for a professional booking on a family's behalf."""
    if staff and exc.code == "too_young":
        return _("The child is too young for this appointment on that day.")
    if staff and exc.code == "too_old":
        return _("The child is too old for this appointment on that day.")
    if group and exc.code == "taken":
        return _("This meeting has just become full. Choose another date.")
    if group and exc.code == "duplicate":
        return _("You already have a place at this meeting.")
    messages_by_code = {
        "taken": _("This time has just been taken, choose another one."),
        "busy": _("It is very busy right now and nothing has been saved yet. Please try again."),
        "window": _(
            "This time can no longer be booked online: it is too soon or too far ahead. "
            "Choose another time."
        ),
        "not_bookable": _("This appointment cannot be booked at this time. Choose another time."),
        "too_young": AGE_MESSAGES["too_young"],
        "too_old": AGE_MESSAGES["too_old"],
        "overlap": _("Your child already has an appointment at this time. Choose another time."),
        "moment": _(
            "This time does not fit this check-up: choose a time within the dates shown, or "
            "this check-up is already planned."
        ),
        "duplicate": _("You already have a place at this time."),
        "cutoff": _("It is too late to change this online. Please call %(phone)s.")
        % {"phone": phone or settings.JGZ_PHONE},
        "state": _("This appointment can no longer be changed."),
    }
    return str(messages_by_code.get(exc.code, messages_by_code["not_bookable"]))


# --- Parents ------------------------------------------------------------------------------------


PAST_PER_PAGE = 10


@parent_required
def my_appointments(request):
    """Coming up first (all of them: a family has few), then past and cancelled, paged."""
    upcoming, past = selectors.list_appointments_for_parent(parent=request.user)
    past_page = Paginator(past, PAST_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "afspraken/mine.html", {"upcoming": upcoming, "past_page": past_page})


def _start_form(request, data=None, initial=None):
    return BookingStartForm(
        data,
        initial=initial,
        children=list(selectors.list_children_for_parent(parent=request.user)),
        types=list(selectors.list_bookable_types()),
        locations=selectors.list_locations(),
    )


@parent_required
def book(request):
    """Step 1: child and type (one choice), location. Also each location's nearest evening and
    Saturday, as links that come back here with that place and day chosen."""
    bound = "choice" in request.GET
    form = _start_form(
        request,
        request.GET if bound else None,
        initial={key: request.GET.get(key) for key in ("location", "day", "part")},
    )
    if bound and form.is_valid():
        data = form.cleaned_data
        query = {
            "child": data["child_obj"].pk,
            "type": data["type_obj"].pk,
            "location": data["location"].pk,
        }
        if data.get("day"):
            query["day"] = data["day"].isoformat()
        if data.get("part"):
            query["part"] = data["part"]
        return redirect(f"{reverse('afspraken:slots')}?{urlencode(query)}")
    context = {
        "form": form,
        "has_children": bool(form.children),
        "locations": selectors.list_locations_with_after_hours(),
        "chosen_day": form.chosen_day(),
    }
    return render(request, "afspraken/book_start.html", context, status=400 if form.errors else 200)


def _booking_context(request):
    """child, type and (for a reschedule) the appointment, from the query string."""
    reschedule_id = request.GET.get("reschedule") or request.POST.get("reschedule")
    if reschedule_id:
        try:
            old = selectors.get_appointment_for_parent(
                parent=request.user, appointment_id=reschedule_id
            )
        except (ValueError, Http404) as exc:
            raise Http404 from exc
        return old.child, old.appointment_type, old
    try:
        child = selectors.list_children_for_parent(parent=request.user).get(
            pk=request.GET.get("child") or request.POST.get("child")
        )
        appointment_type = selectors.list_bookable_types().get(
            pk=request.GET.get("type") or request.POST.get("type")
        )
    except Exception as exc:  # noqa: BLE001 - missing, malformed or not theirs: all 404
        raise Http404 from exc
    return child, appointment_type, None


def _moment_window(request, child, old):
    """(code, (first day, last day)) when booking a contact moment ("Plan nu"), else ("", None)."""
    if old is not None:
        code = old.contact_moment.moment.code if old.contact_moment_id else ""
    else:
        code = (request.GET.get("moment") or request.POST.get("moment") or "")[:30]
    link = hooks.moment_link()
    if not code or link is None:
        return "", None
    window = link.window(child=child, code=code)
    if window is None:
        raise Http404
    return code, window


def _refused(request, exc: BookingError, **context):
    """A step reached with a child the type is not meant for: say why, offer step 1."""
    return render(
        request,
        "afspraken/refused.html",
        {"error": error_message(exc), **context},
        status=exc.status,
    )


@parent_required
def slots(request):
    """Step 2: a week of free times at one location: a day picker (one radio group) and the
    times of the chosen day as links."""
    child, appointment_type, old = _booking_context(request)
    if child is not None:
        try:
            services.check_child_age(
                child=child, appointment_type=appointment_type, on=timezone.localdate()
            )
        except BookingError as exc:
            return _refused(request, exc, child=child, appointment_type=appointment_type)
    location_id = request.GET.get("location") or (old.slot.location_id if old else None)
    locations = list(selectors.list_locations())
    location = next((loc for loc in locations if str(loc.pk) == str(location_id)), None)
    if location is None:
        raise Http404
    moment_code, window = _moment_window(request, child, old)
    week_form = WeekForm(request.GET)
    week_form.is_valid()
    week = week_form.cleaned_data["week"]
    asked = request.GET.get("week") or request.GET.get("day")
    if window is not None and not asked:
        week = max(window[0], timezone.localdate())
    elif not asked or week < selectors.week_start_for(timezone.localdate()):
        # No week asked for (or an old link): open the week of the soonest free time.
        week = (
            selectors.first_free_day(
                location_id=location.pk, appointment_type_id=appointment_type.pk
            )
            or week
        )
    part = week_form.cleaned_data.get("part") or ""
    listing = selectors.list_free_slots_for_week(
        location_id=location.pk,
        appointment_type_id=appointment_type.pk,
        week_start=week,
        part=part,
        between=window,
    )
    open_days = [(day, day_slots) for day, day_slots in listing.days if day_slots]
    wanted = week_form.cleaned_data.get("day")
    chosen = wanted if wanted in dict(open_days) else (open_days[0][0] if open_days else None)
    base = {"location": location.pk}
    if old:
        base["reschedule"] = old.pk
    else:
        base.update({"child": child.pk, "type": appointment_type.pk})
    if moment_code:
        base["moment"] = moment_code
    confirm_query = urlencode({k: v for k, v in base.items() if k != "location"})
    context = {
        "child": child,
        "appointment_type": appointment_type,
        "location": location,
        "locations": locations,
        "old": old,
        "listing": listing,
        "open_days": open_days,
        "chosen_day": chosen,
        "part": part,
        "parts": week_form.fields["part"].choices,
        "base_query": urlencode(base),
        "base": base,
        "window": window,
        "confirm_query": confirm_query,
        # afspraken:confirm is "<book>/<slot id>/": built by concatenation for speed.
        "confirm_prefix": reverse("afspraken:book"),
    }
    return render(request, "afspraken/slots.html", context)


@parent_required
@require_http_methods(["GET", "POST"])
@rate_limit("booking")
def confirm(request, slot_id):
    """Step 3: confirm, with 'Wat wil je bespreken?'. A lost race is 409 with the form kept."""
    child, appointment_type, old = _booking_context(request)
    moment_code, window = _moment_window(request, child, old)
    slot = selectors.get_free_slot(slot_id=slot_id)
    if child is not None:
        try:
            services.check_child_age(
                child=child,
                appointment_type=appointment_type,
                on=timezone.localtime(slot.starts_at).date(),
            )
        except BookingError as exc:
            return _refused(request, exc, child=child, appointment_type=appointment_type)
    initial = _topics_initial(old) if old else None
    form = ConfirmForm(request.POST or None, initial=initial)
    hidden = {"reschedule": old.pk} if old else {"child": child.pk, "type": appointment_type.pk}
    if moment_code:
        hidden["moment"] = moment_code
    context = {
        "slot": slot,
        "child": child,
        "appointment_type": appointment_type,
        "old": old,
        "form": form,
        "hidden": hidden,
        "window": window,
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "afspraken/confirm.html", context, status=400)
        try:
            if old:
                appointment = services.reschedule_appointment(
                    appointment_id=old.pk, new_slot_id=slot.pk, actor=request.user
                )
                services.update_topics(
                    appointment_id=appointment.pk,
                    actor=request.user,
                    topics=form.cleaned_data["topics"],
                    note=form.cleaned_data["note"],
                    interpreter_language=form.cleaned_data["interpreter_language"],
                )
            else:
                appointment = services.book_appointment(
                    slot_id=slot.pk,
                    appointment_type_id=appointment_type.pk,
                    parent=request.user,
                    child_id=child.pk,
                    topics=form.cleaned_data["topics"],
                    note=form.cleaned_data["note"],
                    moment_code=moment_code,
                    interpreter_language=form.cleaned_data["interpreter_language"],
                )
        except BookingError as exc:
            context["error"] = error_message(exc, phone=slot.location.phone)
            return render(request, "afspraken/confirm.html", context, status=exc.status)
        messages.success(
            request,
            _("Your appointment has been moved.") if old else _("Your appointment is booked."),
        )
        return redirect("afspraken:detail", appointment_id=appointment.pk)
    return render(request, "afspraken/confirm.html", context)


def _topics_initial(appointment: Appointment) -> dict:
    return {
        "topics": list(appointment.topics.all()),
        "note": appointment.note,
        "interpreter": bool(appointment.interpreter_language),
        "interpreter_language": appointment.interpreter_language,
    }


def _detail_context(appointment: Appointment, **extra):
    return {
        "appointment": appointment,
        "location": appointment.slot.location,
        "can_change": appointment.can_change_online(),
        "can_edit_topics": appointment.can_edit_topics(),
        "cutoff_hours": settings.AFSPRAKEN_CANCEL_CUTOFF_HOURS,
        **extra,
    }


@parent_required
def detail(request, appointment_id):
    appointment = selectors.get_appointment_for_parent(
        parent=request.user, appointment_id=appointment_id
    )
    topics_form = TopicsForm(initial=_topics_initial(appointment))
    return render(
        request,
        "afspraken/detail.html",
        _detail_context(appointment, topics_form=topics_form, cancel_form=CancelForm()),
    )


@parent_required
@require_POST
def topics(request, appointment_id):
    appointment = selectors.get_appointment_for_parent(
        parent=request.user, appointment_id=appointment_id
    )
    form = TopicsForm(request.POST)
    if form.is_valid():
        try:
            services.update_topics(
                appointment_id=appointment.pk,
                actor=request.user,
                topics=form.cleaned_data["topics"],
                note=form.cleaned_data["note"],
                interpreter_language=form.cleaned_data["interpreter_language"],
            )
        except BookingError as exc:
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, _("Thank you. The nurse will read this before you come."))
            return redirect("afspraken:detail", appointment_id=appointment.pk)
    return render(
        request,
        "afspraken/detail.html",
        _detail_context(appointment, topics_form=form, cancel_form=CancelForm()),
        status=400,
    )


@parent_required
@require_POST
def cancel(request, appointment_id):
    appointment = selectors.get_appointment_for_parent(
        parent=request.user, appointment_id=appointment_id
    )
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_appointment(
                appointment_id=appointment.pk,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except BookingError as exc:
            form.add_error(None, error_message(exc, phone=appointment.slot.location.phone))
            status = exc.status
        else:
            messages.success(request, _("Your appointment has been cancelled."))
            return redirect("afspraken:mine")
    else:
        status = 400
    topics_form = TopicsForm(initial=_topics_initial(appointment))
    return render(
        request,
        "afspraken/detail.html",
        _detail_context(appointment, topics_form=topics_form, cancel_form=form),
        status=status,
    )


@parent_required
def reschedule(request, appointment_id):
    appointment = selectors.get_appointment_for_parent(
        parent=request.user, appointment_id=appointment_id
    )
    if not appointment.can_change_online():
        messages.error(request, error_message(PastCutoff(), phone=appointment.slot.location.phone))
        return redirect("afspraken:detail", appointment_id=appointment.pk)
    if appointment.appointment_type.is_group:
        # A meeting is not moved: the parent signs up for another date instead.
        return redirect("afspraken:groups")
    query = urlencode({"reschedule": appointment.pk, "location": appointment.slot.location_id})
    return redirect(f"{reverse('afspraken:slots')}?{query}")


@parent_required
def ics(request, appointment_id):
    appointment = selectors.get_appointment_for_parent(
        parent=request.user, appointment_id=appointment_id
    )
    if appointment.status == Appointment.Status.MOVED:
        # Same UID as the new appointment: an old file must never touch the calendar entry.
        raise Http404
    body = build_ics(appointment=appointment, method=PUBLISH)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="afspraak.ics"'
    return response


@require_http_methods(["GET", "POST"])
def token(request, token):
    """The link in e-mails: it works without logging in, so it shows little and does little.

    Without a login: date, time and place, and a cancel button while the appointment is booked
    and before the cut-off (GET never acts). The family's own parent, logged in, gets the full
    page. Cancelled and moved appointments only say so; after the end (or once it took place)
    the link no longer works and points to "Mijn afspraken" and the location's phone.
    """
    appointment = selectors.get_appointment_by_token(token=token, user=request.user)
    state = appointment.link_state()
    own_parent = request.user.is_authenticated and request.user.family_id == appointment.family_id
    if state == "expired":
        return render(
            request,
            "afspraken/token_expired.html",
            {"location": appointment.slot.location},
            status=410,
        )
    if own_parent and state == "active" and request.method == "GET":
        return redirect("afspraken:detail", appointment_id=appointment.pk)
    cancel_form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if state != "active" or request.POST.get("action") != "cancel":
            status = 409 if state != "active" else 400
        elif cancel_form.is_valid():
            try:
                services.cancel_appointment(
                    appointment_id=appointment.pk,
                    actor=request.user if own_parent else None,
                    reason=cancel_form.cleaned_data["reason"],
                )
            except BookingError as exc:
                cancel_form.add_error(
                    None, error_message(exc, phone=appointment.slot.location.phone)
                )
                status = exc.status
            else:
                messages.success(request, _("Your appointment has been cancelled."))
                return redirect("afspraken:token", token=token)
        else:
            status = 400
        appointment.refresh_from_db()
    return render(
        request,
        "afspraken/token.html",
        _detail_context(
            appointment,
            cancel_form=cancel_form,
            token=token,
            full=own_parent,
            login_url=f"{reverse('account_login')}?"
            + urlencode({"next": reverse("afspraken:detail", args=[appointment.pk])}),
        ),
        status=status,
    )


@parent_required
def groups(request):
    """'Bijeenkomsten bij jou in de buurt': parent group meetings with seats left."""
    meetings = selectors.list_group_meetings(parent=request.user)
    return render(request, "afspraken/groups.html", {"meetings": meetings})


@parent_required
@require_POST
@rate_limit("booking")
def group_book(request, slot_id):
    meetings = selectors.list_group_meetings(parent=request.user)
    meeting = next((m for m in meetings if m.pk == slot_id), None)
    if meeting is None:
        raise Http404
    form = GroupBookForm(request.POST)
    form.is_valid()  # one optional tick box: always valid
    try:
        appointment = services.book_appointment(
            slot_id=meeting.pk,
            appointment_type_id=meeting.meeting_type.pk,
            parent=request.user,
            share_first_name=form.cleaned_data.get("share_first_name", False),
        )
    except BookingError as exc:
        return render(
            request,
            "afspraken/groups.html",
            {
                "meetings": meetings,
                "error": error_message(exc, group=True),
                "error_slot": meeting.pk,
            },
            status=exc.status,
        )
    messages.success(request, _("You have a place at this meeting."))
    return redirect("afspraken:detail", appointment_id=appointment.pk)


# --- Staff ----------------------------------------------------------------------------------------


@planner_required
def agenda(request):
    """Day or week agenda per professional and/or location."""
    week_form = WeekForm(request.GET)
    week_form.is_valid()
    day = week_form.cleaned_data.get("week") or timezone.localdate()
    view = "week" if request.GET.get("view") == "week" else "day"
    start = selectors.week_start_for(day) if view == "week" else day
    days = 7 if view == "week" else 1
    professional_id = request.GET.get("professional") or None
    location_id = request.GET.get("location") or None
    team_id = request.GET.get("team") or None
    professionals = list(
        selectors.list_professionals().only("id", "first_name", "last_name", "email")
    )
    locations = list(selectors.list_locations())
    teams = list(list_teams())
    if professional_id and professional_id not in {str(p.pk) for p in professionals}:
        professional_id = None
    if location_id and location_id not in {str(loc.pk) for loc in locations}:
        location_id = None
    if team_id and team_id not in {str(team.pk) for team in teams}:
        team_id = None
    team_ids = [team_id] if team_id else []
    if not (professional_id or location_id or team_id):
        default = selectors.default_agenda_scope(actor=request.user)
        professional_id = default.get("professional_id")
        team_ids = default.get("team_ids", [])
    # Nothing chosen and nothing to open on (no schedule, no team): no appointments at all,
    # never everyone's.
    scope = {"professional_id": professional_id, "location_id": location_id, "team_ids": team_ids}
    agenda_days = selectors.list_agenda(actor=request.user, start=start, days=days, **scope)
    filters = {
        "view": view,
        "professional": professional_id or "",
        "location": location_id or "",
        "team": team_ids[0] if len(team_ids) == 1 else "",
    }
    chosen = filters["professional"]
    context = {
        # Every professional of the region (hundreds): the options are written here, once,
        # instead of by a template loop per option.
        "professional_options": format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (p.pk, SELECTED if str(p.pk) == chosen else "", p.display_name)
                for p in professionals
            ),
        ),
        "agenda_days": agenda_days,
        "view": view,
        "day": start,
        "previous": start - timedelta(days=days),
        "next": start + timedelta(days=days),
        "professionals": professionals,
        "locations": locations,
        "teams": teams,
        "no_scope": not (professional_id or location_id or team_ids),
        "filters": filters,
        "filter_query": urlencode(filters),
        "flagged": selectors.list_flagged_slots(actor=request.user),
        "follow_ups": selectors.list_open_follow_ups(actor=request.user, **scope),
        "outcome_form": OutcomeForm(),
        "now": timezone.now(),
        # Assistants plan: topics and references, not the texts parents wrote.
        "clinical": request.user.has_capability(Capability.CLINICAL),
    }
    return render(request, "afspraken/staff_agenda.html", context)


@planner_required
@require_POST
def set_status(request, appointment_id):
    """Attended / no-show at once; cancelling by JGZ first shows a confirm step that asks a
    reason (the family gets an e-mail), and only its own POST (`confirmed`) cancels."""
    appointment = selectors.get_appointment_for_staff(
        actor=request.user, appointment_id=appointment_id, reason="set status"
    )
    form = OutcomeForm(request.POST)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("afspraken:agenda")
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect(back)
    status, reason = form.cleaned_data["status"], ""
    if status == Appointment.Status.CANCELLED_BY_JGZ:
        cancel_form = JgzCancelForm(request.POST if "confirmed" in request.POST else None)
        if not cancel_form.is_valid():
            return render(
                request,
                "afspraken/staff_cancel.html",
                {"appointment": appointment, "form": cancel_form, "back": back},
                status=400 if cancel_form.is_bound else 200,
            )
        reason = cancel_form.cleaned_data["reason"]
    try:
        services.set_outcome(
            appointment_id=appointment.pk, actor=request.user, status=status, reason=reason
        )
    except BookingError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("The appointment has been updated."))
    return redirect(back)


@planner_required
@require_POST
def follow_up_done(request, follow_up_id):
    try:
        services.complete_follow_up(follow_up_id=follow_up_id, actor=request.user)
    except BookingError as exc:
        raise Http404 from exc
    messages.success(request, _("Follow-up marked as done."))
    return redirect("afspraken:agenda")


@planner_required
@require_http_methods(["GET", "POST"])
def staff_book(request):
    """Book on a parent's behalf (families who phone or walk in)."""
    lookup = ParentLookupForm(request.GET if "email" in request.GET else None)
    found = None
    initial = {}
    link = hooks.moment_link()
    if "for_child" in request.GET and "email" not in request.GET:
        # From the planning list: the child and its moment are known, find the parent.
        try:
            parent, child = selectors.find_parent_of_child_for_staff(
                actor=request.user, child_id=request.GET["for_child"]
            )
        except ValidationError:
            parent = child = None
        if child is None:
            raise Http404
        if parent is None or not parent.family_id:
            context = {
                "lookup": lookup,
                "parent": None,
                "error": _("This family has no account yet: call them to make the appointment."),
            }
            return render(request, "afspraken/staff_book.html", context)
        found = selectors.find_family_for_staff(actor=request.user, email=parent.email)
        initial = {"child": str(child.pk), "moment": request.GET.get("moment", "")}
    elif lookup.is_bound and lookup.is_valid():
        found = selectors.find_family_for_staff(
            actor=request.user, email=lookup.cleaned_data["email"]
        )
        if found is None:
            lookup.add_error("email", _("No parent with a family found for this e-mail address."))
    parent = found.parent if found else None
    context = {"lookup": lookup, "parent": parent}
    if found is None:
        return render(
            request, "afspraken/staff_book.html", context, status=400 if lookup.errors else 200
        )
    children = found.children
    form = StaffBookingForm(
        request.GET if "day" in request.GET else None,
        initial=initial,
        children=children,
        types=selectors.list_consult_types(),
        locations=selectors.list_locations(),
        moments=link.choices() if link is not None else (),
    )
    context["form"] = form
    status = 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        listing = selectors.list_free_slots_for_week(
            location_id=data["location"].pk,
            appointment_type_id=data["appointment_type"].pk,
            week_start=data["day"],
        )
        context["free"] = dict(listing.days).get(data["day"], [])
        if request.method == "POST":
            try:
                appointment = services.book_appointment(
                    slot_id=request.POST.get("slot"),
                    appointment_type_id=data["appointment_type"].pk,
                    parent=parent,
                    child_id=data["child"],
                    booked_by=request.user,
                    online=False,
                    moment_code=data["moment"],
                    youth_contact=hooks.YouthContact(
                        email=data["youth_email"], phone=data["youth_phone"]
                    ),
                )
            except (BookingError, ValueError) as exc:
                code = exc if isinstance(exc, BookingError) else BookingError()
                context["error"] = error_message(code, staff=True)
                status = getattr(code, "status", 400)
            else:
                if services.youth_recipient(appointment) is not None:
                    done = _(
                        "Booked for %(name)s. The confirmation goes only to the young person,"
                        " if you noted their e-mail address."
                    )
                else:
                    done = _("Booked for %(name)s. The parent gets a confirmation by e-mail.")
                messages.success(request, done % {"name": appointment.child.first_name})
                return redirect(f"{reverse('afspraken:agenda')}?week={data['day'].isoformat()}")
    elif form.is_bound:
        status = 400
    return render(request, "afspraken/staff_book.html", context, status=status)


@cohost_required
def cohost(request):
    """A partner's own parent group meetings: how many booked, and the first names of the
    parents who agreed to share them. Nothing else."""
    meetings = selectors.list_meetings_for_cohost(cohost=request.user)
    return render(request, "afspraken/cohost.html", {"meetings": meetings})
