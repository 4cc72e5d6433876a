from django.urls import path

from families import views

app_name = "families"

urlpatterns = [
    path("", views.family_home, name="home"),
    path("kind/nieuw/", views.child_add, name="child_add"),
    path("kind/<uuid:child_id>/wijzigen/", views.child_edit, name="child_edit"),
    path("postcode/", views.postcode, name="postcode"),
    path("uitnodigen/", views.invite, name="invite"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
]
