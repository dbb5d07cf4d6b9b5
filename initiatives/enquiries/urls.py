from django.urls import path

from . import views

app_name = "enquiries"
urlpatterns = [
    path("services/<slug:slug>/get-in-touch/", views.ServiceEnquiryView.as_view(), name="service_enquiry"),
    path(
        "services/<slug:slug>/get-in-touch/sent/",
        views.EnquirySentView.as_view(),
        name="service_enquiry_sent",
    ),
    path("contact/", views.GeneralEnquiryView.as_view(), name="contact"),
    path("contact/sent/", views.EnquirySentView.as_view(), name="contact_sent"),
    path("manage/enquiries/", views.ManageEnquiryListView.as_view(), name="manage_list"),
    path("manage/enquiries/<int:pk>/", views.ManageEnquiryDetailView.as_view(), name="manage_detail"),
]
