import csv
from functools import wraps

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import capability_required
from accounts.roles import Capability
from cijfers import charts, display, selectors, services
from cijfers.exceptions import NotAllowed, SurveyUsed
from cijfers.forms import FilterForm, PublicResponseForm, SurveyForm
from cijfers.models import PublicResponse

FIGURE_CAPABILITIES = {Capability.ADMIN, Capability.CLINICAL, Capability.PLANNING}


def figures_required(view):
    """Managers (every team) and professionals (their own teams)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_jgz_staff and FIGURE_CAPABILITIES & set(user.capabilities)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filters(request):
    """The filter form and, when valid, the Filters scoped to the user."""
    user = request.user
    teams = list(selectors.list_filter_teams(user))
    form = FilterForm(request.GET or None, teams=teams, wijken=selectors.list_filter_wijken(user))
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else form.initial
    scope = selectors.allowed_team_ids(user)
    team = data.get("team")
    if team:
        team_ids = frozenset(t.pk for t in teams if str(t.pk) == team)
    else:
        team_ids = scope
    return form, selectors.Filters(
        start=data["start"],
        end=data["end"],
        team_ids=team_ids,
        wijk_id=data.get("wijk") or None,
        compare=bool(data.get("compare")),
    )


def _area(area: str) -> str:
    if area not in selectors.AREAS:
        raise Http404
    return area


@figures_required
def index(request):
    return redirect("cijfers:area", area="vragen")


@figures_required
def area(request, area):
    area = _area(area)
    form, filters = _filters(request)
    tables = selectors.list_tables(area, filters) if filters else []
    query = request.GET.urlencode()
    context = {
        "areas": [(key, label) for key, (label, _f) in selectors.AREAS.items()],
        "area": area,
        "area_label": selectors.AREAS[area][0],
        "form": form,
        "tables": [(t, charts.describe(t)) for t in tables],
        "query": query,
        "remarks": selectors.list_recent_remarks(filters)
        if filters and area == "tevredenheid"
        else [],
        "sees_all": selectors.sees_all_teams(request.user),
    }
    return render(request, "cijfers/area.html", context, status=400 if not filters else 200)


def _table_or_404(request, area, table):
    _area(area)
    _form, filters = _filters(request)
    if filters is None:
        raise Http404
    found = selectors.get_table(area, table, filters)
    if found is None:
        raise Http404
    return found, filters


@figures_required
def table_csv(request, area, table):
    """The table as shown (small numbers already hidden): no names or ids of people."""
    found, filters = _table_or_404(request, area, table)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(f"{area}-{table}-{filters.start}-{filters.end}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow([found.group_label, *[c.label for c in found.columns]])
    for label, values in found.rows:
        writer.writerow([label, *[v.text for v in values]])
    return response


@figures_required
@csp_replace(charts.SVG_CSP)
def table_chart(request, area, table):
    found, _filters_used = _table_or_404(request, area, table)
    response = HttpResponse(charts.render_svg(found), content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Managers: the survey's remarks and "Jullie zeiden, wij deden" ------------------------------

manager_required = capability_required(Capability.ADMIN)


@manager_required
@require_http_methods(["GET", "POST"])
def responses(request):
    """Read the survey's remarks (small-number rule, kept one year) and write and publish the
    responses for the public page, without the admin."""
    form, filters = _filters(request)
    response_form = PublicResponseForm(request.POST or None)
    if request.method == "POST" and response_form.is_valid():
        services.write_public_response(actor=request.user, **response_form.cleaned_data)
        messages.success(request, _("Your response has been saved."))
        return redirect("cijfers:responses")
    remarks = selectors.list_remarks(filters) if filters else []
    context = {
        "form": form,
        "response_form": response_form,
        "answers": selectors.count_survey_answers(filters) if filters else 0,
        "small": display.SMALL,
        "page": Paginator(remarks, 50).get_page(request.GET.get("page")),
        "query": request.GET.urlencode(),
        "responses": selectors.list_public_responses(),
    }
    bad = filters is None or (request.method == "POST")
    return render(request, "cijfers/staff_responses.html", context, status=400 if bad else 200)


@manager_required
@require_POST
def publish_response(request):
    """Publish or withdraw one response (its id in the form: no counters in URLs)."""
    publish = request.POST.get("publish") == "1"
    response_id = request.POST.get("response", "")
    if not response_id.isdigit():
        raise Http404
    try:
        services.set_response_published(
            actor=request.user, response_id=int(response_id), published=publish
        )
    except NotAllowed as exc:
        raise Http404 from exc
    if publish:
        messages.success(request, _("Published on the public page."))
    else:
        messages.success(request, _("Taken off the public page."))
    return redirect("cijfers:responses")


# --- Parents: the survey and the public page ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def survey(request, token):
    """The short survey after a visit. No login: the link in the e-mail is enough, and the
    answer is stored without any link to the family."""
    invitation = services.get_open_invitation(token=token)
    if invitation is None:
        raise Http404
    if invitation.used_at is not None:
        return render(request, "cijfers/survey_used.html")
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_survey(token=token, **form.cleaned_data)
        except SurveyUsed:
            return render(request, "cijfers/survey_used.html")
        return redirect("cijfers:survey_thanks")
    status = 400 if form.is_bound else 200
    return render(request, "cijfers/survey.html", {"form": form}, status=status)


def survey_thanks(request):
    return render(request, "cijfers/survey_thanks.html")


def public_responses(request):
    """ "Jullie zeiden, wij deden": what parents told us and what we did with it."""
    responses = PublicResponse.objects.filter(is_published=True).order_by("-published_on", "-id")
    return render(request, "cijfers/public_responses.html", {"responses": responses})
