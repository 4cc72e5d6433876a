from django.urls import path

from sms import views

app_name = "sms"

urlpatterns = [
    path("inkomend/", views.inbound, name="inbound"),
]
