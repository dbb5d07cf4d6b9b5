from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/<slug:slug>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
]
