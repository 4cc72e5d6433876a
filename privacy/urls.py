from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("gegevens/", views.own_details, name="own_details"),
    path("wie-heeft-gekeken/", views.family_access_log, name="family_access_log"),
    path("download/", views.download, name="download"),
    path("account-verwijderen/", views.delete_account, name="delete_account"),
    path(
        "account-verwijderen/<str:token>/",
        views.delete_account_confirm,
        name="delete_account_confirm",
    ),
    path("toegangslog/", views.staff_access_log, name="staff_access_log"),
    path("toegangslog/export.csv", views.staff_access_log_export, name="staff_access_log_export"),
    path(
        "vraag/<uuid:question_id>/jongere/",
        views.mark_youth_question,
        name="mark_youth_question",
    ),
]
