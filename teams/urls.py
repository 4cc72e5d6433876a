from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("gezin-openen/", views.open_family, name="open_family"),
]
