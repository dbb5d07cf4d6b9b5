from django.urls import path

from initiatives.models import Organisation, Service
from initiatives.same_origin import same_origin_post

from . import views

app_name = "feedback"
urlpatterns = [
    path(
        "services/<slug:slug>/report-a-problem/",
        same_origin_post(views.ReportProblemView.as_view(model=Service)),
        name="service_report",
    ),
    path(
        "services/<slug:slug>/report-a-problem/sent/",
        views.ReportSentView.as_view(model=Service),
        name="service_report_sent",
    ),
    path(
        "organisations/<slug:slug>/report-a-problem/",
        same_origin_post(views.ReportProblemView.as_view(model=Organisation)),
        name="organisation_report",
    ),
    path(
        "organisations/<slug:slug>/report-a-problem/sent/",
        views.ReportSentView.as_view(model=Organisation),
        name="organisation_report_sent",
    ),
    path("manage/problem-reports/", views.ManageProblemReportListView.as_view(), name="manage_list"),
    path(
        "manage/problem-reports/<int:pk>/",
        views.ManageProblemReportDetailView.as_view(),
        name="manage_detail",
    ),
]
