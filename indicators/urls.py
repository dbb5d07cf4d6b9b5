from django.urls import path

from initiatives.page_cache import public_page

from . import views

app_name = "indicators"
urlpatterns = [
    path("indicators/", public_page(views.IndicatorListView.as_view()), name="indicator_list"),
    path(
        "indicators/<slug:slug>/", public_page(views.IndicatorDetailView.as_view()), name="indicator_detail"
    ),
    path("indicators/<slug:slug>.csv", public_page(views.IndicatorCsvView.as_view()), name="indicator_csv"),
    path(
        "indicators/<slug:slug>.json", public_page(views.IndicatorJsonView.as_view()), name="indicator_json"
    ),
    path("evidence/", public_page(views.EvidenceView.as_view()), name="evidence"),
    path("evidence.csv", public_page(views.EvidenceCsvView.as_view()), name="evidence_csv"),
]
