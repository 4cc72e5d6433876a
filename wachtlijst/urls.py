from django.urls import path

from wachtlijst import views

app_name = "wachtlijst"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("aanmelden/", views.join, name="join"),
    path("<uuid:entry_id>/afmelden/", views.leave, name="leave"),
    path("aanbod/<str:token>/", views.offer, name="offer"),
    path("overzicht/", views.staff_list, name="staff_list"),
]
