from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.views import (
    activate_totp,
    digid_first_login,
    digid_step_up,
    oidc_callback,
    oidc_login,
)
from ouderportaal import views

admin.site.site_header = "Ouderportaal beheer"
admin.site.site_title = "Ouderportaal beheer"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("", views.home, name="home"),
    path("medewerkers/", views.staff_home, name="staff_home"),
    path("health/", views.health, name="health"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility_statement"),
    path("privacyverklaring/", views.privacy_statement, name="privacy_statement"),
    path("ready/", views.ready, name="ready"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The admin's own login form would bypass allauth's MFA and rate limits: send it to ours.
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    # Before allauth's own: the same name, but after set-up the staff member continues to
    # where they were going instead of the recovery codes page.
    path("accounts/2fa/totp/activate/", activate_totp, name="mfa_activate_totp"),
    # Before allauth's own: the same login start, but a provider that does not answer gets a
    # Dutch page instead of a server error.
    path("accounts/oidc/<str:provider_id>/login/", oidc_login, name="openid_connect_login"),
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        oidc_callback,
        name="openid_connect_callback",
    ),
    path("accounts/digid/koppelen/", digid_first_login, name="digid_first_login"),
    path("accounts/digid/hoger-niveau/", digid_step_up, name="digid_step_up"),
    path("accounts/", include("allauth.urls")),
    path("gezin/", include("families.urls")),
    path("vragen/", include("vragen.urls")),
    path("afspraken/", include("afspraken.urls")),
    path("nieuwsbrief/", include("nieuwsbrieven.urls")),
    path("contactmomenten/", include("contactmomenten.urls")),
    path("wachtlijst/", include("wachtlijst.urls")),
    path("privacy/", include("privacy.urls")),
    path("teams/", include("teams.urls")),
    path("bereik/", include("bereik.urls")),
    path("sms/", include("sms.urls")),
    path("informatie/", include("kennisbank.urls")),
    path("", include("cijfers.urls")),
]

# `make bench-region` only: the baseline its page figures are divided by. Never routed in
# production or tests (BENCH is off), so the permission matrix has no row for it.
if settings.BENCH:
    urlpatterns.append(path("bench/baseline/", views.bench_baseline, name="bench_baseline"))

# 403, 404 and the CSRF failure render the portal's templates with the request; 500 must work
# without the database, so it gets a view that renders without the request's context.
handler500 = "ouderportaal.views.server_error"
# allauth's own rate limits (login, sign-up, password reset) answer through this one.
handler429 = "ouderportaal.views.too_many_requests"
