from django.urls import path

from nieuwsbrieven import views

app_name = "nieuwsbrieven"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("voorkeuren/<str:token>/", views.preferences, name="preferences"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
