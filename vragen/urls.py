from django.urls import path

from vragen import views

app_name = "vragen"

urlpatterns = [
    path("", views.my_questions, name="mine"),
    path("nieuw/", views.ask, name="ask"),
    path("<uuid:question_id>/", views.detail, name="detail"),
    path("<uuid:question_id>/verstuurd/", views.sent, name="sent"),
    path("<uuid:question_id>/reageren/", views.reply, name="reply"),
    path("<uuid:question_id>/opgelost/", views.solve, name="solve"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
    path("triage/", views.queue, name="queue"),
    path("triage/bellijst/", views.call_list, name="call_list"),
    path("triage/<uuid:question_id>/", views.staff_question, name="staff_question"),
    path("triage/<uuid:question_id>/oppakken/", views.take, name="take"),
    path(
        "triage/<uuid:question_id>/<str:action>/",
        views.staff_action,
        name="staff_action",
    ),
]
