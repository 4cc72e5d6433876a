from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.decorators import parent_required
from core.ratelimit import TOO_MANY_MAILS, allow_mail_to, rate_limit
from nieuwsbrieven import selectors, services
from nieuwsbrieven.exceptions import InvalidLink
from nieuwsbrieven.forms import CONSENT_TEXT, PreferencesForm, SubscribeForm
from nieuwsbrieven.tokens import CONFIRM, MANAGE


def _invalid_link(request):
    return render(request, "nieuwsbrieven/invalid_link.html", status=400)


@parent_required
@require_http_methods(["GET", "POST"])
@rate_limit("newsletter")
def subscribe(request):
    subscription = selectors.get_subscription_for_parent(parent=request.user)
    initial = {
        "email": subscription.email if subscription else request.user.email,
        "milestones": subscription.milestones if subscription else False,
    }
    form = SubscribeForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"form": form, "subscription": subscription}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "nieuwsbrieven/subscribe.html", context, status=400)
        if services.needs_confirmation(
            subscription=subscription, email=form.cleaned_data["email"]
        ) and not allow_mail_to(request, form.cleaned_data["email"]):
            form.add_error("email", TOO_MANY_MAILS)
            return render(request, "nieuwsbrieven/subscribe.html", context, status=429)
        subscription = services.request_subscription(
            parent=request.user,
            email=form.cleaned_data["email"],
            milestones=form.cleaned_data["milestones"],
            consent_text=str(CONSENT_TEXT),
        )
        if subscription.is_active:
            messages.success(request, _("Your choices have been saved."))
        else:
            messages.success(
                request,
                _("Almost done: open the link in the e-mail we sent to %(email)s.")
                % {"email": subscription.email},
            )
        return redirect("nieuwsbrieven:subscribe")
    return render(request, "nieuwsbrieven/subscribe.html", context)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: mail scanners that open links confirm nothing."""
    try:
        if request.method == "POST":
            subscription, _changed = services.confirm_subscription(token=token)
            return render(request, "nieuwsbrieven/confirmed.html", {"subscription": subscription})
        subscription = selectors.get_subscription_by_token(token=token, purpose=CONFIRM)
    except InvalidLink:
        return _invalid_link(request)
    return render(request, "nieuwsbrieven/confirm.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def preferences(request, token):
    try:
        subscription = selectors.get_subscription_by_token(token=token, purpose=MANAGE)
    except InvalidLink:
        return _invalid_link(request)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"milestones": subscription.milestones},
    )
    context = {"form": form, "subscription": subscription, "token": token}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "nieuwsbrieven/preferences.html", context, status=400)
        services.update_preferences(token=token, milestones=form.cleaned_data["milestones"])
        messages.success(request, _("Your choices have been saved."))
        return redirect("nieuwsbrieven:preferences", token=token)
    return render(request, "nieuwsbrieven/preferences.html", context)


# RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here without a CSRF token; the
# signed token in the URL is the authorisation.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        if request.method == "POST":
            subscription, changed = services.unsubscribe(token=token)
            return render(
                request,
                "nieuwsbrieven/unsubscribed.html",
                {"subscription": subscription, "changed": changed},
            )
        subscription = selectors.get_subscription_by_token(token=token, purpose=MANAGE)
    except InvalidLink:
        return _invalid_link(request)
    return render(
        request, "nieuwsbrieven/unsubscribe.html", {"subscription": subscription, "token": token}
    )
