"""A URLconf with one view that fails, for the 500 page test."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [path("stuk/", broken), path("", include("ouderportaal.urls"))]
handler500 = "ouderportaal.views.server_error"
