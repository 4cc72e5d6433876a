from django.urls import path

from cijfers import views

app_name = "cijfers"

urlpatterns = [
    path("cijfers/", views.index, name="index"),
    path("cijfers/reacties/", views.responses, name="responses"),
    path("cijfers/reacties/publiceren/", views.publish_response, name="publish_response"),
    path("cijfers/<slug:area>/", views.area, name="area"),
    path("cijfers/<slug:area>/<slug:table>.csv", views.table_csv, name="csv"),
    path("cijfers/<slug:area>/<slug:table>.svg", views.table_chart, name="chart"),
    path("tevredenheid/bedankt/", views.survey_thanks, name="survey_thanks"),
    path("tevredenheid/<str:token>/", views.survey, name="survey"),
    path("jullie-zeiden-wij-deden/", views.public_responses, name="public_responses"),
]
