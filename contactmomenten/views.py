from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import parent_required, planner_required, professional_required
from afspraken.exceptions import BookingError
from afspraken.selectors import list_locations
from contactmomenten import selectors, services
from contactmomenten.exceptions import MomentError
from contactmomenten.forms import (
    AnswersForm,
    CallbackForm,
    CareStatusForm,
    NoteForm,
    OutreachForm,
    PlanningFilterForm,
    PreferencesForm,
)
from kennisbank.selectors import list_read_ahead, translation_state
from teams.selectors import (
    family_has_evening_call_back,
    list_teams,
    list_wijken,
    team_ids_of,
)

# --- Parents ----------


@parent_required
def child(request, child_id):
    """One child's schedule: what comes next and what happened."""
    kid = selectors.get_child_for_parent(parent=request.user, child_id=child_id)
    plan = selectors.family_schedule(parent=request.user, children=[kid]).get(kid.pk)
    return render(
        request,
        "contactmomenten/child.html",
        {"child": kid, "plan": plan, "phone": settings.JGZ_PHONE},
    )


@parent_required
@require_http_methods(["GET", "POST"])
def moment(request, child_id, code):
    """One moment: when, the appointment, the questions beforehand and what was agreed."""
    detail = selectors.get_moment_for_parent(parent=request.user, child_id=child_id, code=code)
    view = detail.view
    can_answer = bool(view and view.row and view.row.state == "planned" and detail.questions)
    form = AnswersForm(
        request.POST or None,
        questions=detail.questions,
        initial={f"q{k}": v for k, v in detail.answers.items()},
    )
    status = 200
    if request.method == "POST":
        if not can_answer:
            raise Http404
        if form.is_valid():
            try:
                services.save_answers(
                    parent=request.user,
                    child_moment_id=view.row.pk,
                    answers=form.cleaned_data["answers"],
                )
            except MomentError:
                form.add_error(None, _("This check-up can no longer be changed."))
                status = 409
            else:
                messages.success(request, _("Thank you. The nurse will read this before you come."))
                return redirect(request.path)
        else:
            status = 400
    context = {
        "detail": detail,
        "view": view,
        "form": form,
        "can_answer": can_answer,
        "phone": settings.JGZ_PHONE,
        "siblings": selectors.list_siblings_to_plan_after(parent=request.user, detail=detail),
        "callback_form": CallbackForm(
            initial={"phone": request.user.phone},
            evening=family_has_evening_call_back(family_id=request.user.family_id),
        ),
        "description_state": translation_state(detail.moment, field="description"),
        "read_ahead": list_read_ahead(
            unit=detail.moment.target_unit, value=detail.moment.target_value
        ),
    }
    return render(request, "contactmomenten/moment.html", context, status=status)


@parent_required
@require_POST
def callback(request, child_id, code):
    """'Bel me terug' for a home visit or school moment: the JGZ calls to arrange it."""
    detail = selectors.get_moment_for_parent(parent=request.user, child_id=child_id, code=code)
    if not (detail.view and detail.view.can_request_callback):
        raise Http404
    form = CallbackForm(
        request.POST, evening=family_has_evening_call_back(family_id=request.user.family_id)
    )
    if form.is_valid():
        try:
            services.request_callback(
                parent=request.user, child_id=detail.child.pk, code=code, **form.cleaned_data
            )
        except MomentError as exc:
            raise Http404 from exc
        messages.success(request, _("Thank you. We will call you to make the appointment."))
        return redirect("contactmomenten:moment", child_id=detail.child.pk, code=code)
    context = {
        "detail": detail,
        "view": detail.view,
        "callback_form": form,
        "phone": settings.JGZ_PHONE,
        "siblings": [],
    }
    return render(request, "contactmomenten/moment.html", context, status=400)


@parent_required
@require_POST
def plan_sibling(request, child_id, code):
    """Twins and siblings: the same moment for another child, right after this appointment."""
    detail = selectors.get_moment_for_parent(parent=request.user, child_id=child_id, code=code)
    siblings = selectors.list_siblings_to_plan_after(parent=request.user, detail=detail)
    sibling = next((c for c in siblings if str(c.pk) == request.POST.get("sibling")), None)
    if sibling is None:
        raise Http404
    try:
        services.plan_sibling_after(
            parent=request.user,
            appointment_id=detail.view.appointment.pk,
            child_id=sibling.pk,
            code=code,
        )
    except (BookingError, MomentError):
        messages.error(request, _("This time has just been taken, choose another one."))
    else:
        messages.success(
            request,
            _("%(name)s has an appointment right after.") % {"name": sibling.first_name},
        )
    return redirect(request.path.rsplit("samen/", 1)[0])


@parent_required
def plan(request, child_id, code):
    """'Plan nu': choose a location; the slot list opens with the window applied."""
    kid, view, links = selectors.plan_links(parent=request.user, child_id=child_id, code=code)
    return render(
        request, "contactmomenten/plan.html", {"child": kid, "view": view, "links": links}
    )


@parent_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    prefs = selectors.get_preferences(parent=request.user)
    family = request.user.family
    data = request.POST if request.method == "POST" else None
    initial = {"invitations": prefs.invitations}
    if family is not None:
        initial |= {
            "channel": family.message_channel,
            "phone": family.phone,
            "quiet_from": family.sms_quiet_from,
            "quiet_until": family.sms_quiet_until,
        }
    form = PreferencesForm(data, initial=initial)
    if request.method == "POST":
        if form.is_valid() and request.user.family_id:
            cleaned = form.cleaned_data
            services.set_preferences(
                parent=request.user,
                invitations=cleaned["invitations"],
                channel={
                    key: cleaned[key] for key in ("channel", "phone", "quiet_from", "quiet_until")
                },
            )
            messages.success(request, _("Your choices have been saved."))
            return redirect("contactmomenten:preferences")
        return render(request, "contactmomenten/preferences.html", _prefs_context(form), status=400)
    return render(request, "contactmomenten/preferences.html", _prefs_context(form))


def _prefs_context(form) -> dict:
    return {
        "form": form,
        "quiet_start": settings.SMS_QUIET_HOURS_START,
        "quiet_end": settings.SMS_QUIET_HOURS_END,
    }


# --- Staff ----------


@planner_required
def planning(request):
    """Children with an open window and nothing planned, closest window end first; per team
    (the professional's own by default), moment, wijk, location and age."""
    teams = list(list_teams())
    choices = {
        "moments": selectors.list_active_moments(),
        "locations": list(list_locations()),
        "teams": teams,
        "wijken": list(list_wijken()),
    }
    form = PlanningFilterForm(request.GET or None, **choices)
    filters = selectors.PlanningFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.PlanningFilters(
            code=data["moment"],
            team_id=data["team"] or None,
            wijk_id=data["wijk"] or None,
            location_id=data["location"] or None,
            age_band=data["age_band"],
        )
    elif not form.is_bound:
        own = [team for team in teams if team.pk in team_ids_of(request.user)]
        if len(own) == 1:
            form = PlanningFilterForm(initial={"team": str(own[0].pk)}, **choices)
            filters = selectors.PlanningFilters(team_id=own[0].pk)
    rows = selectors.list_planning(actor=request.user, filters=filters)
    return render(
        request,
        "contactmomenten/staff_planning.html",
        {
            "form": form,
            "rows": rows,
            # The same for every row: made once here, not a hundred times by the template.
            "outreach_buttons": format_html_join(
                "",
                '<button class="btn btn-outline-secondary btn-sm" name="action" value="{}">'
                "{}</button>",
                (
                    (value, capfirst(label))
                    for value, label in OutreachForm.base_fields["action"].choices
                    if value != "booked"
                ),
            ),
            "care_options": format_html_join(
                "",
                '<option value="{}">{}</option>',
                (
                    (value, capfirst(label))
                    for value, label in CareStatusForm.base_fields["status"].choices
                    if value != "active"
                ),
            ),
            "query": request.GET.urlencode(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@planner_required
@require_POST
def outreach(request, child_id, code):
    form = OutreachForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
    else:
        try:
            services.record_outreach(
                actor=request.user, child_id=child_id, code=code, action=form.cleaned_data["action"]
            )
        except MomentError as exc:
            raise Http404 from exc
        messages.success(request, _("Saved."))
    back = reverse("contactmomenten:planning")
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query else back)


@planner_required
@require_POST
def care_status(request, child_id):
    """Staff mark that the JGZ no longer contacts the family about this child."""
    form = CareStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
    else:
        try:
            services.end_care(
                actor=request.user, child_id=child_id, status=form.cleaned_data["status"]
            )
        except MomentError as exc:
            raise Http404 from exc
        messages.success(request, _("Saved. No more messages go out about this child."))
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("contactmomenten:planning")
    return redirect(back)


@professional_required
@require_http_methods(["GET", "POST"])
def note(request, appointment_id):
    """After the visit: 'wat we hebben afgesproken' for the parent, plus a follow-up."""
    appointment = selectors.get_appointment_moment_for_staff(
        actor=request.user, appointment_id=appointment_id
    )
    existing = getattr(appointment.contact_moment, "note", None)
    initial = (
        {
            "text": existing.text,
            "follow_up": existing.follow_up,
            "follow_up_text": existing.follow_up_text,
            "follow_up_link": existing.follow_up_link,
        }
        if existing
        else None
    )
    form = NoteForm(request.POST or None, initial=initial)
    context = {"appointment": appointment, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.write_note(
                    actor=request.user, appointment_id=appointment.pk, **form.cleaned_data
                )
            except MomentError as exc:
                if exc.code == "not_attended":
                    form.add_error(None, _("First mark the appointment as attended."))
                    return render(request, "contactmomenten/staff_note.html", context, status=409)
                raise Http404 from exc
            messages.success(request, _("Saved. The parent gets an e-mail with a link."))
            return redirect("afspraken:agenda")
        return render(request, "contactmomenten/staff_note.html", context, status=400)
    return render(request, "contactmomenten/staff_note.html", context)
