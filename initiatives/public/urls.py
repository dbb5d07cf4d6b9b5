from django.urls import path

from . import journey, shortlist_views, views
from .information_pages import AboutView, AccessibilityStatementView, PrivacyNoticeView

# The namespace names the records these pages show; templates and get_absolute_url use it.
app_name = "initiatives"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("services/", views.ServiceListView.as_view(), name="service_list"),
    path("services/<slug:slug>/", views.ServiceDetailView.as_view(), name="service_detail"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("needs/<slug:slug>/", views.NeedDetailView.as_view(), name="need_detail"),
    path("find/", journey.NeedStepView.as_view(), name="find_needs"),
    path("find/about-you/", journey.AboutYouStepView.as_view(), name="find_about_you"),
    path("my-list/", shortlist_views.MyListView.as_view(), name="my_list"),
    path("my-list/add/", shortlist_views.ShortlistAddView.as_view(), name="shortlist_add"),
    path("my-list/remove/", shortlist_views.ShortlistRemoveView.as_view(), name="shortlist_remove"),
    path("my-list/clear/", shortlist_views.ShortlistClearView.as_view(), name="shortlist_clear"),
    path("my-list/shared/", shortlist_views.SharedListView.as_view(), name="shortlist_shared"),
    path("privacy/", PrivacyNoticeView.as_view(), name="privacy"),
    path("accessibility/", AccessibilityStatementView.as_view(), name="accessibility"),
    path("about/", AboutView.as_view(), name="about"),
]
