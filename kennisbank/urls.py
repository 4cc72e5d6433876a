from django.urls import path

from kennisbank import views

app_name = "kennisbank"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.article, name="article"),
    path("<slug:slug>/nuttig/", views.vote, name="vote"),
]
