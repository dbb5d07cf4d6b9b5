from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("invitation/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("invitation/<str:token>/", views.invitation_open, name="invitation_open"),
]
