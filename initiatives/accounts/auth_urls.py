"""Django's sign-in, sign-out and password views under /accounts/, with the site's own sign-in form."""

from django.contrib.auth import urls as django_auth_urls
from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import ChangePasswordForm, NewPasswordForm, ResetPasswordForm
from .views import SignInView

# Django's views with the site's forms, whose messages say what to enter.
OWN_FORMS = {
    "login": SignInView.as_view(),
    "password_change": auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm),
    "password_reset": auth_views.PasswordResetView.as_view(form_class=ResetPasswordForm),
    "password_reset_confirm": auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
}

urlpatterns = [
    path(str(pattern.pattern), OWN_FORMS[pattern.name], name=pattern.name)
    if pattern.name in OWN_FORMS
    else pattern
    for pattern in django_auth_urls.urlpatterns
]
