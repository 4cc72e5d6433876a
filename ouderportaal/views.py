from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from accounts.decorators import staff_required


def home(request):
    """Landing page for visitors; parents go to their family, staff to their dashboard."""
    if request.user.is_authenticated:
        if request.user.is_jgz_staff:
            return redirect("staff_home")
        return redirect("families:home")
    return render(request, "home.html")


@staff_required
def staff_home(request):
    from vragen.selectors import staff_home_summary

    context = {"vragen": staff_home_summary(actor=request.user)}
    return render(request, "staff/home.html", context)


def admin_login(request):
    next_url = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        # Logged in but not staff in Django's sense: the admin is not for this account.
        return redirect("home")
    return redirect(f"{reverse('account_login')}?next={next_url}")


@never_cache
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001
        return JsonResponse({"database": "down"}, status=503)
    return HttpResponse("ok", content_type="text/plain")
