from django.urls import include, path

from initiatives.models import Organisation, Service

from . import freshness, image_views, views, work_to_do

app_name = "editing"

manage_patterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("work-to-do/", work_to_do.WorkToDoView.as_view(), name="work_to_do"),
    path("organisations/<slug:slug>/", views.OrganisationView.as_view(), name="organisation"),
    path(
        "organisations/<slug:slug>/edit/",
        views.OrganisationEditView.as_view(),
        name="organisation_edit",
    ),
    path(
        "organisations/<slug:slug>/services/new/",
        views.ServiceCreateView.as_view(),
        name="service_create",
    ),
    path("organisations/<slug:slug>/team/", views.TeamView.as_view(), name="team"),
    path(
        "organisations/<slug:slug>/team/<int:pk>/remove/",
        views.MembershipRemoveView.as_view(),
        name="membership_remove",
    ),
    path("services/<slug:slug>/edit/", views.ServiceEditView.as_view(), name="service_edit"),
    path("changes/<int:pk>/", views.RevisionView.as_view(), name="revision_detail"),
    path("changes/<int:pk>/withdraw/", views.RevisionWithdrawView.as_view(), name="revision_withdraw"),
    path(
        "services/<slug:slug>/still-correct/",
        freshness.StillCorrectView.as_view(model=Service),
        name="service_still_correct",
    ),
    path(
        "organisations/<slug:slug>/still-correct/",
        freshness.StillCorrectView.as_view(model=Organisation),
        name="organisation_still_correct",
    ),
]

urlpatterns = [
    path("manage/", include(manage_patterns)),
    # Uploaded images live outside MEDIA_ROOT; settings.IMAGES_URL must match this prefix.
    path("images/<path:name>", image_views.serve_image, name="image"),
]
