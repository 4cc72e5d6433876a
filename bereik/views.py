import csv

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import parent_required, planner_required, professional_required
from bereik import selectors, services
from bereik.exceptions import ActivationError, OutreachError
from bereik.forms import (
    ActivationForm,
    AttentionForm,
    DeskRegistrationForm,
    EraseFamilyForm,
    MergeForm,
    OutreachActionForm,
    WorklistFilterForm,
)
from bereik.models import OutreachAction, OutreachCase
from core import ratelimit
from privacy.models import AccessLog

# --- Parents ----------


ACTIVATION_ERRORS = {
    "unknown": gettext_lazy(
        "This code is not right. Check the letter or the text message, or call us."
    ),
    "expired": gettext_lazy("This code is no longer valid. Call us for a new one."),
    "own_children": gettext_lazy(
        "You have already added children yourself. Call us: we put your details together."
    ),
    "not_parent": gettext_lazy("Only a parent can use this code."),
}


@parent_required
@require_http_methods(["GET", "POST"])
def activate(request):
    """A parent with a new account enters the code from the letter or SMS: the account is
    linked to the family the JGZ already knows, with its children."""
    form = ActivationForm(request.POST or None)
    context = {"form": form, "opening_hours": services.opening_hours()}
    if request.method == "POST":
        if not ratelimit.hit(request, "bereik_activate"):
            form.add_error(
                None,
                _("Too many tries. Wait %(minutes)s minutes or call us.")
                % {"minutes": ratelimit.wait_minutes("bereik_activate")},
            )
            return render(request, "bereik/activate.html", context, status=429)
        if form.is_valid():
            try:
                services.activate_with_code(parent=request.user, code=form.cleaned_data["code"])
            except ActivationError as exc:
                form.add_error(
                    "code", str(ACTIVATION_ERRORS.get(exc.code, ACTIVATION_ERRORS["unknown"]))
                )
                return render(request, "bereik/activate.html", context, status=400)
            messages.success(request, _("Done. You now see your children and their appointments."))
            return redirect("families:home")
        return render(request, "bereik/activate.html", context, status=400)
    return render(request, "bereik/activate.html", context)


# --- Staff ----------


def _filters(request):
    from teams.selectors import list_teams_of

    teams = list(list_teams_of(request.user))
    from teams.models import Wijk

    wijken = list(Wijk.objects.filter(team__in=teams).order_by("name"))
    form = WorklistFilterForm(request.GET or None, teams=teams, wijken=wijken)
    team_ids, wijk_id = None, None
    if form.is_bound and form.is_valid():
        if form.cleaned_data["team"]:
            team_ids = [form.cleaned_data["team"]]
        wijk_id = form.cleaned_data["wijk"] or None
    if team_ids is not None:
        team_ids = [t.pk for t in teams if str(t.pk) in team_ids]
    return form, team_ids, wijk_id


@planner_required
def worklist(request):
    """Children not reached, per team and wijk, most urgent first, with what was tried."""
    form, team_ids, wijk_id = _filters(request)
    work = selectors.list_worklist(actor=request.user, team_ids=team_ids, wijk_id=wijk_id)
    items = work.items
    if request.GET.get("escalated"):
        items = [i for i in items if i.escalated]
    return render(
        request,
        "bereik/worklist.html",
        {
            "form": form,
            "work": work,
            "items": items,
            "kinds": OutreachAction.Kind,
            "outcomes": OutreachAction.OUTCOMES,
            "closings": OutreachCase.Closing.choices,
            "attention_reasons": list(selectors.list_attention_reasons())
            if request.user.has_capability("clinical")
            else None,
            "query": request.GET.urlencode(),
        },
    )


EXPORT_COLUMNS = (
    "id",
    "wijk",
    "leeftijd_maanden",
    "redenen",
    "sinds",
    "dagen",
    "pogingen",
    "jeugdarts",
    "kanaal",
    "taal",
)


@planner_required
def export(request):
    """The worklist as CSV without names or addresses: pseudonymous ids only."""
    form, team_ids, wijk_id = _filters(request)
    work = selectors.list_worklist(
        actor=request.user, team_ids=team_ids, wijk_id=wijk_id, limit=100_000, log=False
    )
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bereik-{today:%Y-%m-%d}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(EXPORT_COLUMNS)
    for item in work.items:
        child = item.child
        contact = (
            getattr(child.family, "contact", None) if hasattr(child.family, "contact") else None
        )
        writer.writerow(
            [
                item.pseudonym,
                item.wijk,
                "" if child.date_of_birth is None else child.age_in_months(today),
                "|".join(r.code for r in item.reasons),
                item.since.isoformat(),
                item.overdue_days,
                item.case.fruitless_attempts if item.case else 0,
                "ja" if item.escalated else "nee",
                contact.channel if contact else "",
                contact.language if contact else "",
            ]
        )
    selectors.log_children(
        actor=request.user,
        children=[i.child for i in work.items],
        reason="outreach export",
        action=AccessLog.Action.EXPORT,
    )
    return response


def _back(request):
    back = reverse("bereik:worklist")
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query else back)


@planner_required
@require_POST
def action(request, child_id):
    form = OutreachActionForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Choose an action.")]:
            messages.error(request, error)
        return _back(request)
    try:
        services.record_outreach_action(
            actor=request.user,
            child_id=child_id,
            kind=form.cleaned_data["kind"],
            outcome=form.cleaned_data.get("outcome", ""),
            closing=form.cleaned_data.get("closing", ""),
        )
    except OutreachError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        if exc.code == "no_mobile":
            messages.error(request, _("This family has no mobile number for a text message."))
        else:
            messages.error(request, _("This action is not possible here."))
        return _back(request)
    messages.success(request, _("Saved."))
    return _back(request)


@planner_required
@require_POST
def letter(request, child_id):
    """The invitation letter as PDF to print (and "brief gestuurd" recorded)."""
    try:
        pdf = services.make_letter(actor=request.user, child_id=child_id)
    except OutreachError as exc:
        raise Http404 from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="uitnodiging.pdf"'
    return response


@professional_required
@require_POST
def flag(request, family_id):
    form = AttentionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason."))
        return _back(request)
    try:
        services.flag_attention(
            actor=request.user, family_id=family_id, reason_id=form.cleaned_data["reason"].pk
        )
    except OutreachError as exc:
        raise Http404 from exc
    messages.success(request, _("Saved."))
    return _back(request)


@professional_required
@require_POST
def unflag(request, flag_id):
    try:
        services.remove_attention(actor=request.user, flag_id=flag_id)
    except OutreachError as exc:
        raise Http404 from exc
    messages.success(request, _("Saved."))
    return _back(request)


MERGE_ERRORS = {
    "not_found": gettext_lazy("We found no such parent or no imported child with this key."),
    "same": gettext_lazy("This parent already belongs to that family."),
}


@planner_required
@require_http_methods(["GET", "POST"])
def merge(request):
    """Staff merge a family a parent made online into the family the JGZ imported: first a
    preview of which children are the same child, then the merge (logged)."""
    form = MergeForm(request.POST or None)
    context = {"form": form, "plan": None}
    if request.method != "POST":
        return render(request, "bereik/merge.html", context)
    if not form.is_valid():
        return render(request, "bereik/merge.html", context, status=400)
    source, target = selectors.find_merge_families(
        email=form.cleaned_data["email"], key=form.cleaned_data["key"]
    )
    try:
        if source is None or target is None:
            raise OutreachError("not_found")
        if "confirm" in request.POST:
            services.merge_families(actor=request.user, source_id=source, target_id=target)
            messages.success(request, _("The families are merged."))
            return redirect("bereik:merge")
        context["plan"] = services.plan_merge(
            actor=request.user, source_id=source, target_id=target
        )
    except OutreachError as exc:
        form.add_error(None, str(MERGE_ERRORS.get(exc.code, MERGE_ERRORS["not_found"])))
        return render(request, "bereik/merge.html", context, status=400)
    return render(request, "bereik/merge.html", context)


@planner_required
@require_http_methods(["GET", "POST"])
def register(request):
    """Register a family by phone or at the desk: no e-mail, no account. The page then shows
    the activation code to give the parent, who can claim an online account with it."""
    form = DeskRegistrationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            family, code = services.register_family_at_desk(actor=request.user, **form.cleaned_data)
            return render(
                request,
                "bereik/register_done.html",
                {
                    "family": family,
                    "code": code,
                    "phone": settings.JGZ_PHONE,
                    "texted": family.message_channel == family.Channel.SMS,
                },
            )
        return render(request, "bereik/register.html", {"form": form}, status=400)
    return render(request, "bereik/register.html", {"form": form})


FAMILY_ERRORS = {
    "has_account": gettext_lazy(
        "This family has an account: the parent downloads or deletes the data on the "
        "privacy page of the portal."
    ),
}


def _family_refused(request, exc: OutreachError):
    if exc.code == "not_found":
        raise Http404 from exc
    messages.error(
        request, str(FAMILY_ERRORS.get(exc.code, _("This action is not possible here.")))
    )
    return _back(request)


@planner_required
@require_POST
def family_export(request, family_id):
    """AVG right of access for a family without an account: the zip the parents' own download
    has, to hand over on request. Logged as an export."""
    try:
        data = services.export_family_without_account(actor=request.user, family_id=family_id)
    except OutreachError as exc:
        return _family_refused(request, exc)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="gegevens-gezin.zip"'
    return response


@planner_required
@require_POST
def family_erase(request, family_id):
    """AVG right to erasure for a family without an account, after a ticked confirmation."""
    form = EraseFamilyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick that the family asked for this, then erase again."))
        return _back(request)
    try:
        services.erase_family_without_account(actor=request.user, family_id=family_id)
    except OutreachError as exc:
        return _family_refused(request, exc)
    messages.success(request, _("The family's data is erased."))
    return _back(request)
