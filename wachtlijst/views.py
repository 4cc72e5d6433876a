from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import parent_required, planner_required
from afspraken import selectors as booking_selectors
from core.ratelimit import rate_limit
from wachtlijst import selectors, services
from wachtlijst.exceptions import WaitlistError
from wachtlijst.forms import JoinForm, StaffFilterForm
from wachtlijst.models import Offer


def error_message(exc: WaitlistError) -> str:
    return str(
        {
            "gone": _(
                "Sorry, this place has already been given to someone else. You stay on the "
                "waiting list: we let you know when another place comes up."
            ),
            "expired": _(
                "This offer has expired. You stay on the waiting list: we let you know when "
                "another place comes up."
            ),
            "closed": _("This offer can no longer be answered."),
            "refused": _(
                "This place no longer fits your child's appointments, so we could not book it. "
                "You stay on the waiting list."
            ),
            "busy": _(
                "It is very busy right now and nothing has been saved yet. Please try again."
            ),
            "already": _("You are already on the waiting list for this."),
            "not_waitable": _("You cannot join the waiting list for this."),
        }.get(exc.code, _("This offer can no longer be answered."))
    )


@parent_required
def mine(request):
    entries = selectors.list_entries_for_parent(parent=request.user)
    return render(request, "wachtlijst/mine.html", {"entries": entries})


def _join_target(request) -> dict:
    """What the parent wants to wait for, from the query string or the form (404 if nothing or
    not theirs: the service checks ownership again)."""
    source = request.POST if request.method == "POST" else request.GET
    keys = ("appointment", "child", "type", "moment", "meeting")
    target = {key: (source.get(key) or "")[:64] for key in keys}
    appointment = child = meeting = appointment_type = None
    try:
        if target["appointment"]:
            appointment = booking_selectors.get_appointment_for_parent(
                parent=request.user, appointment_id=target["appointment"]
            )
            if not appointment.can_change_online() or appointment.appointment_type.is_group:
                raise Http404
        elif target["meeting"]:
            meeting = next(
                (
                    m
                    for m in booking_selectors.list_group_meetings(parent=request.user)
                    if str(m.pk) == target["meeting"]
                ),
                None,
            )
            if meeting is None:
                raise Http404
        else:
            child = booking_selectors.list_children_for_parent(parent=request.user).get(
                pk=target["child"]
            )
            appointment_type = booking_selectors.list_bookable_types().get(pk=target["type"])
    except Http404:
        raise
    except Exception as exc:  # noqa: BLE001 - missing, malformed or not theirs: all 404
        raise Http404 from exc
    return {
        "appointment": appointment,
        "meeting": meeting,
        "child": child or (appointment.child if appointment else None),
        "appointment_type": appointment_type
        or (appointment.appointment_type if appointment else None),
        "hidden": {key: value for key, value in target.items() if value},
    }


@parent_required
@require_http_methods(["GET", "POST"])
@rate_limit("booking")
def join(request):
    """ "Eerder als er plek komt": choose the time of day and the location, then join."""
    context = _join_target(request)
    form = JoinForm(
        request.POST or None,
        locations=booking_selectors.list_locations(),
        initial={"location": context["appointment"].slot.location_id}
        if context["appointment"]
        else None,
    )
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "wachtlijst/join.html", context, status=400)
        data, hidden = form.cleaned_data, context["hidden"]
        try:
            services.join_waitlist(
                parent=request.user,
                appointment_id=hidden.get("appointment"),
                child_id=hidden.get("child"),
                appointment_type_id=hidden.get("type"),
                moment_code=hidden.get("moment", ""),
                meeting_id=hidden.get("meeting"),
                location_id=data["location"].pk if data.get("location") else None,
                part=data.get("part") or "",
            )
        except WaitlistError as exc:
            context["error"] = error_message(exc)
            return render(request, "wachtlijst/join.html", context, status=exc.status)
        messages.success(
            request,
            _(
                "You are on the waiting list. When a place comes up, we send you an e-mail "
                "with a link. The first to say yes gets the place."
            ),
        )
        return redirect("wachtlijst:mine")
    return render(request, "wachtlijst/join.html", context)


@parent_required
@require_POST
def leave(request, entry_id):
    try:
        services.leave_waitlist(parent=request.user, entry_id=entry_id)
    except WaitlistError as exc:
        raise Http404 from exc
    messages.success(request, _("You are no longer on the waiting list."))
    return redirect("wachtlijst:mine")


@require_http_methods(["GET", "POST"])
@rate_limit("booking")
def offer(request, token):
    """The link in the offer e-mail: GET shows the place; POST accepts or declines it."""
    offer = selectors.get_offer_by_token(token=token, user=request.user)
    status, error = 200, ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                appointment = services.accept_offer(offer_id=offer.pk)
                messages.success(request, _("The place is yours. Your appointment is booked."))
                if request.user.is_authenticated:
                    return redirect("afspraken:detail", appointment_id=appointment.pk)
                return redirect("afspraken:token", token=appointment.token)
            if action == "decline":
                services.decline_offer(offer_id=offer.pk)
                messages.success(
                    request, _("Thank you. The place goes to the next family on the list.")
                )
                return redirect("wachtlijst:offer", token=token)
            status = 400
        except WaitlistError as exc:
            error, status = error_message(exc), exc.status
        offer.refresh_from_db()
    return render(
        request,
        "wachtlijst/offer.html",
        {
            "offer": offer,
            "entry": offer.entry,
            "slot": offer.slot,
            "is_open": offer.is_live(),
            "error": error,
            "Status": Offer.Status,
        },
        status=status,
    )


@planner_required
def staff_list(request):
    """Staff: who waits, per location and appointment type, and which offers are open."""
    form = StaffFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    groups = selectors.list_waitlist_for_staff(
        actor=request.user,
        location_id=getattr(filters.get("location"), "pk", None),
        type_id=getattr(filters.get("appointment_type"), "pk", None),
    )
    return render(request, "wachtlijst/staff_list.html", {"form": form, "groups": groups})
