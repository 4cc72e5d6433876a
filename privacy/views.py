import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import parent_required, professional_required, staff_required
from core.admin import EstimatedCountPaginator
from core.client import client_ip, current_ip
from core.ratelimit import rate_limit
from families.selectors import list_children_for_parent
from privacy import selectors, services
from privacy.exceptions import InvalidDeletionLink
from privacy.forms import AccessLogSearchForm, DeleteAccountForm, OwnDetailsForm
from privacy.models import AccessLog


def _retention_context() -> dict:
    return {
        "closed_questions_days": settings.RETENTION_CLOSED_QUESTIONS_DAYS,
        "past_appointments_days": settings.RETENTION_PAST_APPOINTMENTS_DAYS,
        "access_log_days": settings.RETENTION_ACCESS_LOG_DAYS,
        "youth_notice_age": settings.YOUTH_NOTICE_FROM_AGE,
        "youth_private_age": settings.YOUTH_PRIVATE_QUESTIONS_FROM_AGE,
    }


@parent_required
def overview(request):
    return render(request, "privacy/overview.html", _retention_context())


@parent_required
@require_http_methods(["GET", "POST"])
def own_details(request):
    user = request.user
    initial = {"first_name": user.first_name, "last_name": user.last_name, "phone": user.phone}
    form = OwnDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.update_own_details(user=user, **form.cleaned_data)
            messages.success(request, _("The changes have been saved."))
            return redirect("privacy:overview")
        return render(request, "privacy/own_details.html", {"form": form}, status=400)
    return render(request, "privacy/own_details.html", {"form": form})


@parent_required
def family_access_log(request):
    rows = []
    if request.user.family_id:
        children = list_children_for_parent(parent=request.user).values_list("pk", "first_name")
        rows = selectors.list_access_for_family(
            family_id=request.user.family_id, children=dict(children)
        )
    return render(
        request,
        "privacy/family_access_log.html",
        {"rows": rows, "show_names": settings.ACCESS_LOG_SHOW_STAFF_NAMES},
    )


@parent_required
@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("data_export")
def download(request):
    if request.method == "POST":
        data = services.build_data_export(user=request.user)
        response = HttpResponse(data, content_type="application/zip")
        filename = f"ouderportaal-gegevens-{timezone.localdate():%Y-%m-%d}.zip"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "privacy/download.html")


@parent_required
@require_http_methods(["GET", "POST"])
@rate_limit("account_delete")
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    context = {"form": form, **_retention_context()}
    if request.method == "POST":
        if form.is_valid():
            services.request_account_deletion(user=request.user)
            return render(request, "privacy/delete_sent.html", {"email": request.user.email})
        return render(request, "privacy/delete_account.html", context, status=400)
    return render(request, "privacy/delete_account.html", context)


@parent_required
@require_http_methods(["GET", "POST"])
def delete_account_confirm(request, token):
    try:
        services.check_deletion_token(user=request.user, token=token)
    except InvalidDeletionLink as exc:
        return render(request, "privacy/delete_invalid.html", {"reason": exc.reason}, status=400)
    if request.method == "POST":
        services.delete_account(user=request.user)
        logout(request)
        messages.success(request, _("Your account has been deleted."))
        return redirect("home")
    return render(request, "privacy/delete_confirm.html", _retention_context())


def _officer_only(request) -> None:
    if not selectors.can_search_access_log(request.user):
        raise PermissionDenied


@staff_required
def staff_access_log(request):
    _officer_only(request)
    form = AccessLogSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request, "privacy/staff_access_log.html", {"form": form, "page": None}, status=400
        )
    filters = form.cleaned_data if form.is_bound else {}
    rows = selectors.search_access_log(actor=request.user, **filters)
    # No COUNT(*) over the log: an estimate unfiltered, at most 10,001 rows counted filtered.
    page = EstimatedCountPaginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/staff_access_log.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.describe_for_officer(actor=request.user, entries=page),
            "query": query.urlencode(),
        },
    )


def _csv_value(value):
    return " ".join(str(item) for item in value) if isinstance(value, list) else value


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ is a formula in spreadsheet programs (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


EXPORT_HEADER = ["at", "actor_email", "actor_role", "action", "record_type", "record_ids"]
EXPORT_HEADER += ["child_ids", "family_ids", "ip_address", "reason"]
EXPORT_CHUNK = 2000


def _export_lines(*, actor, rows, reason: str, ip: str | None):
    """The CSV, a chunk of rows at a time: memory stays flat however long the log is.

    Before a chunk leaves, one access-log row names every child and family in it (reasons can
    hold what staff searched for), so an export cut off halfway is logged as far as it went.
    """
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_HEADER)
    chunk = []
    for entry in rows.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(entry)
        if len(chunk) == EXPORT_CHUNK:
            yield from _export_chunk(writer, actor=actor, chunk=chunk, reason=reason, ip=ip)
            chunk = []
    yield from _export_chunk(writer, actor=actor, chunk=chunk, reason=reason, ip=ip, last=True)


def _export_chunk(writer, *, actor, chunk, reason, ip, last=False):
    if not chunk and not last:
        return
    token = current_ip.set(ip)  # the middleware's value is gone once the response streams
    try:
        services.record_access(
            actor=actor,
            action=AccessLog.Action.EXPORT,
            record_type=AccessLog,
            child_ids=[child_id for entry in chunk for child_id in entry.child_ids],
            family_ids=[family_id for entry in chunk for family_id in entry.family_ids],
            reason=reason,
        )
    finally:
        current_ip.reset(token)
    for entry in chunk:
        yield writer.writerow([_csv_cell(_csv_value(getattr(entry, n))) for n in EXPORT_HEADER])


@staff_required
def staff_access_log_export(request):
    _officer_only(request)
    form = AccessLogSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("Invalid filter."), status=400, content_type="text/plain")
    filters = form.cleaned_data if form.is_bound else {}
    rows = selectors.search_access_log(actor=request.user, **filters).select_related(None)
    lines = _export_lines(
        actor=request.user,
        rows=rows,
        reason=("csv " + request.GET.urlencode())[:255],
        ip=client_ip(request),
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="toegangslog.csv"'
    return response


@professional_required
@require_POST
def mark_youth_question(request, question_id):
    from vragen.selectors import get_question_for_staff

    question = get_question_for_staff(actor=request.user, question_id=question_id)
    asked_by_youth = request.POST.get("asked_by_youth") == "1"
    services.set_asked_by_youth(
        actor=request.user, question=question, asked_by_youth=asked_by_youth
    )
    if asked_by_youth:
        messages.success(request, _("Marked as the youth's own question."))
    else:
        messages.success(request, _("No longer marked as the youth's own question."))
    return redirect("vragen:staff_question", question_id=question.pk)
