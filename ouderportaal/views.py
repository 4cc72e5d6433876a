from datetime import date

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from accounts.decorators import staff_required


def home(request):
    """Landing page for visitors; parents go to their family, staff to their dashboard."""
    if request.user.is_authenticated:
        if request.user.is_jgz_staff:
            return redirect("staff_home")
        if request.user.has_capability("cohost"):
            return redirect("afspraken:cohost")
        return redirect("families:home")
    return render(request, "home.html")


@staff_required
def staff_home(request):
    from accounts.roles import Capability
    from afspraken.selectors import list_agenda
    from vragen.selectors import staff_home_summary

    context = {}
    if request.user.has_capability(Capability.CLINICAL):
        context["vragen"] = staff_home_summary(actor=request.user)
    if request.user.has_capability(Capability.PLANNING):
        # Their own appointments of today (managers have no agenda of their own).
        day = list_agenda(
            actor=request.user, start=timezone.localdate(), professional_id=request.user.pk
        )
        context.update(show_agenda=True, agenda_today=day[0][1])
    return render(request, "staff/home.html", context)


def admin_login(request):
    next_url = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        # Logged in but not staff in Django's sense: the admin is not for this account.
        return redirect("home")
    return redirect(f"{reverse('account_login')}?next={next_url}")


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not usable"
        return "down"
    return "ok"


def _redis_state(url: str) -> str:
    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )
    try:
        client.ping()
    except redis.RedisError:
        return "down"
    finally:
        client.close()
    return "ok"


@never_cache
def health(request):
    """Liveness: the process answers and reaches its database; cheap, no Redis."""
    if _database_state() != "ok":
        return JsonResponse({"database": "down"}, status=503)
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def bench_baseline(request):
    """Bench only (routed when settings.BENCH is on): the fixed baseline of `make bench-region`.
    Behind the full middleware, and it touches `request.user`, so it pays the session and user
    lookups every logged-in page pays; every key page's speed is reported as a ratio to it."""
    return HttpResponse(
        "ok" if request.user.is_authenticated else "anonymous", content_type="text/plain"
    )


def accessibility_statement(request):
    return render(request, "statements/accessibility.html", _statement_context())


def privacy_statement(request):
    return render(request, "statements/privacy.html", _statement_context())


def _statement_context() -> dict:
    return {
        "site_url": settings.SITE_URL,
        "contact_email": settings.ORGANISATION_CONTACT_EMAIL,
        "address": settings.ORGANISATION_ADDRESS,
        "privacy_officer_name": settings.PRIVACY_OFFICER_NAME,
        "privacy_officer_email": settings.PRIVACY_OFFICER_EMAIL,
        "privacy_officer_phone": settings.PRIVACY_OFFICER_PHONE,
        "statement_date": date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_DATE),
        "closed_questions_days": settings.RETENTION_CLOSED_QUESTIONS_DAYS,
        "past_appointments_days": settings.RETENTION_PAST_APPOINTMENTS_DAYS,
        "access_log_days": settings.RETENTION_ACCESS_LOG_DAYS,
        "youth_notice_age": settings.YOUTH_NOTICE_FROM_AGE,
        "youth_private_age": settings.YOUTH_PRIVATE_QUESTIONS_FROM_AGE,
    }


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: the portal's page, in the visitor's language."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return render(request, "403_csrf.html", {"back_url": back}, status=403)


def server_error(request):
    """Rendered without the request's context: no session, no user, no database, so this page
    still shows when the database is what failed."""
    context = {
        "GP_POST_PHONE": settings.EMERGENCY_GP_TEXT,
        "JGZ_PHONE": settings.JGZ_PHONE,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
    }
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def too_many_requests(request):
    """allauth's rate limits (per minute) in the portal's words instead of its English page."""
    return render(request, "core/429.html", {"minutes": 1}, status=429)


@never_cache
def ready(request):
    """Readiness for monitoring: the database and Redis (cache and broker) answer.

    The portal keeps serving with Redis down (core/cache.py, core/broker.py), so 503 here
    means "degraded, look now", not "take this instance out": see README.
    """
    states = {"database": _database_state()}
    if settings.REDIS_URL:
        states["redis"] = _redis_state(settings.REDIS_URL)
    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://")) and broker != settings.REDIS_URL:
        states["broker"] = _redis_state(broker)
    ok = all(state == "ok" for state in states.values())
    return JsonResponse(states, status=200 if ok else 503)


def set_language(request):
    """Django's language switch, plus: a logged-in parent's choice is stored on the account so
    their e-mails and text messages come in that language too. Staff may pick only nl/en."""
    from django.views.i18n import set_language as django_set_language

    from accounts.services import set_preferred_language
    from core.languages import languages_for

    language = request.POST.get("language", "")
    if request.method == "POST" and language not in languages_for(request.user):
        return HttpResponse(status=400)
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        set_preferred_language(user=request.user, language=language)
    return response
