from django.urls import path

from afspraken import views

app_name = "afspraken"

urlpatterns = [
    path("", views.my_appointments, name="mine"),
    path("maken/", views.book, name="book"),
    path("maken/tijden/", views.slots, name="slots"),
    path("maken/<uuid:slot_id>/", views.confirm, name="confirm"),
    path("bijeenkomsten/", views.groups, name="groups"),
    path("bijeenkomsten/<uuid:slot_id>/", views.group_book, name="group_book"),
    path("link/<str:token>/", views.token, name="token"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/boeken/", views.staff_book, name="staff_book"),
    path("agenda/<uuid:appointment_id>/status/", views.set_status, name="set_status"),
    path("agenda/opvolging/<uuid:follow_up_id>/", views.follow_up_done, name="follow_up_done"),
    path("medeorganisator/", views.cohost, name="cohost"),
    path("<uuid:appointment_id>/", views.detail, name="detail"),
    path("<uuid:appointment_id>/bespreken/", views.topics, name="topics"),
    path("<uuid:appointment_id>/annuleren/", views.cancel, name="cancel"),
    path("<uuid:appointment_id>/verzetten/", views.reschedule, name="reschedule"),
    path("<uuid:appointment_id>/afspraak.ics", views.ics, name="ics"),
]
