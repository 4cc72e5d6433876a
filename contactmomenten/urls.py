from django.urls import path

from contactmomenten import views

app_name = "contactmomenten"

urlpatterns = [
    path("berichten/", views.preferences, name="preferences"),
    path("kind/<uuid:child_id>/", views.child, name="child"),
    path("kind/<uuid:child_id>/<slug:code>/", views.moment, name="moment"),
    path("kind/<uuid:child_id>/<slug:code>/plannen/", views.plan, name="plan"),
    path("kind/<uuid:child_id>/<slug:code>/samen/", views.plan_sibling, name="plan_sibling"),
    path("kind/<uuid:child_id>/<slug:code>/bel-terug/", views.callback, name="callback"),
    path("planning/", views.planning, name="planning"),
    path("planning/<uuid:child_id>/<slug:code>/", views.outreach, name="outreach"),
    path("zorg/<uuid:child_id>/", views.care_status, name="care_status"),
    path("afspraak/<uuid:appointment_id>/afgesproken/", views.note, name="note"),
]
