from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/<slug:slug>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<slug:slug>.csv", views.IndicatorCsvView.as_view(), name="indicator_csv"),
    path("indicators/<slug:slug>.json", views.IndicatorJsonView.as_view(), name="indicator_json"),
    path("evidence/", views.EvidenceView.as_view(), name="evidence"),
    path("evidence.csv", views.EvidenceCsvView.as_view(), name="evidence_csv"),
]
