from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import parent_required
from core.ratelimit import TOO_MANY_MAILS, allow_mail_to, rate_limit
from families import selectors, services
from families.exceptions import InvitationError
from families.forms import ChildForm, InvitationForm, PostcodeForm


@parent_required
def family_home(request):
    from contactmomenten.selectors import family_schedule

    family = selectors.get_family_for_parent(parent=request.user)
    children = list(selectors.list_children_for_parent(parent=request.user))
    parents = selectors.list_parents(family=family) if family else []
    plans = family_schedule(parent=request.user, children=children)
    for child in children:
        child.moment_plan = plans.get(child.pk)
    return render(
        request,
        "families/home.html",
        {
            "family": family,
            "children": children,
            "parents": parents,
            "phone": settings.JGZ_PHONE,
        },
    )


@parent_required
@require_http_methods(["GET", "POST"])
def child_add(request):
    form = ChildForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            family = request.user.family or services.create_family_for_parent(parent=request.user)
            child = services.add_child(family=family, **form.cleaned_data)
            messages.success(request, _("%(name)s has been added.") % {"name": child.first_name})
            return redirect("families:home")
        return render(request, "families/child_form.html", {"form": form}, status=400)
    return render(request, "families/child_form.html", {"form": form})


@parent_required
@require_http_methods(["GET", "POST"])
def child_edit(request, child_id):
    child = selectors.get_child_for_parent(parent=request.user, child_id=child_id)
    initial = {
        "first_name": child.first_name,
        "date_of_birth": child.date_of_birth,
        "due_date": child.due_date,
    }
    form = ChildForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.update_child(child=child, **form.cleaned_data)
            messages.success(request, _("The changes have been saved."))
            return redirect("families:home")
        return render(
            request, "families/child_form.html", {"form": form, "child": child}, status=400
        )
    return render(request, "families/child_form.html", {"form": form, "child": child})


@parent_required
@require_http_methods(["GET", "POST"])
def postcode(request):
    family = selectors.get_family_for_parent(parent=request.user)
    initial = {"postcode": family.postcode if family else ""}
    form = PostcodeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            family = family or services.create_family_for_parent(parent=request.user)
            services.set_postcode(family=family, postcode=form.cleaned_data["postcode"])
            messages.success(request, _("The changes have been saved."))
            return redirect("families:home")
        return render(request, "families/postcode.html", {"form": form}, status=400)
    return render(request, "families/postcode.html", {"form": form})


@parent_required
@require_http_methods(["GET", "POST"])
@rate_limit("invite")
def invite(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and not allow_mail_to(request, form.cleaned_data["email"]):
            form.add_error("email", TOO_MANY_MAILS)
            return render(request, "families/invite.html", {"form": form}, status=429)
        if form.is_valid():
            family = request.user.family or services.create_family_for_parent(parent=request.user)
            services.invite_parent(
                family=family, invited_by=request.user, email=form.cleaned_data["email"]
            )
            messages.success(
                request,
                _("We have sent an invitation to %(email)s. The link works for 7 days.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("families:home")
        return render(request, "families/invite.html", {"form": form}, status=400)
    return render(request, "families/invite.html", {"form": form})


def _masked(email: str) -> str:
    """p…@example.org: enough to recognise one's own address, not to learn someone else's."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """Shows whose family it is; accepting needs a logged-in parent with the invited address."""
    inv = selectors.get_invitation(token=token)
    error = None
    try:
        services.check_invitation(inv, user=request.user if request.user.is_authenticated else None)
    except InvitationError as exc:
        error = exc.reason
    if request.method == "POST" and error is None:
        if not request.user.is_authenticated:
            return redirect(f"{request.path}")
        try:
            services.accept_invitation(token=token, user=request.user)
        except InvitationError as exc:
            error = exc.reason
        else:
            messages.success(request, _("You are now part of this family in the portal."))
            return redirect("families:home")
    status = {"used": 410, "expired": 410, "wrong_address": 403, "last_parent": 409}.get(
        error, 400 if error else 200
    )
    return render(
        request,
        "families/invitation.html",
        {"invitation": inv, "error": error, "masked_email": _masked(inv.email)},
        status=status,
    )
