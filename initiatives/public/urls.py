from django.urls import path

from initiatives.page_cache import public_page
from initiatives.same_origin import same_origin_post

from . import journey, shortlist_views, views
from .information_pages import AboutView, AccessibilityStatementView, PrivacyNoticeView

# The namespace names the records these pages show; templates and get_absolute_url use it.
app_name = "initiatives"
urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("services/", public_page(views.ServiceListView.as_view()), name="service_list"),
    path("services/<slug:slug>/", public_page(views.ServiceDetailView.as_view()), name="service_detail"),
    path("organisations/", public_page(views.OrganisationListView.as_view()), name="organisation_list"),
    path(
        "organisations/<slug:slug>/",
        public_page(views.OrganisationDetailView.as_view()),
        name="organisation_detail",
    ),
    path("needs/<slug:slug>/", public_page(views.NeedDetailView.as_view()), name="need_detail"),
    path("find/", public_page(journey.NeedStepView.as_view()), name="find_needs"),
    path("find/about-you/", public_page(journey.AboutYouStepView.as_view()), name="find_about_you"),
    path("my-list/", shortlist_views.MyListView.as_view(), name="my_list"),
    path("my-list/add/", same_origin_post(shortlist_views.ShortlistAddView.as_view()), name="shortlist_add"),
    path(
        "my-list/remove/",
        same_origin_post(shortlist_views.ShortlistRemoveView.as_view()),
        name="shortlist_remove",
    ),
    path("my-list/clear/", shortlist_views.ShortlistClearView.as_view(), name="shortlist_clear"),
    path("my-list/shared/", public_page(shortlist_views.SharedListView.as_view()), name="shortlist_shared"),
    path("privacy/", public_page(PrivacyNoticeView.as_view()), name="privacy"),
    path("accessibility/", public_page(AccessibilityStatementView.as_view()), name="accessibility"),
    path("about/", public_page(AboutView.as_view()), name="about"),
]
