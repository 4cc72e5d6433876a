from django.urls import path

from bereik import views

app_name = "bereik"

urlpatterns = [
    path("koppelen/", views.activate, name="activate"),
    path("werklijst/", views.worklist, name="worklist"),
    path("samenvoegen/", views.merge, name="merge"),
    path("aanmelden/", views.register, name="register"),
    path("werklijst/export.csv", views.export, name="export"),
    path("werklijst/<uuid:child_id>/actie/", views.action, name="action"),
    path("werklijst/<uuid:child_id>/brief/", views.letter, name="letter"),
    path("gezin/<uuid:family_id>/aandacht/", views.flag, name="flag"),
    path("aandacht/<uuid:flag_id>/weg/", views.unflag, name="unflag"),
    path("gezin/<uuid:family_id>/gegevens/", views.family_export, name="family_export"),
    path("gezin/<uuid:family_id>/wissen/", views.family_erase, name="family_erase"),
]
