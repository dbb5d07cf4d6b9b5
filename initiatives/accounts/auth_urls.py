"""Django's sign-in, sign-out and password views under /accounts/, with the site's own sign-in form."""

from django.contrib.auth import urls as django_auth_urls
from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import SignInForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    *(pattern for pattern in django_auth_urls.urlpatterns if pattern.name != "login"),
]
