"""Signing in, joining an organisation from an invitation link, and the page shown when sign-in is paused."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views import View

from .forms import NewAccountForm, SignInForm
from .models import Invitation
from .services import account_create_from_invitation, invitation_accept

SESSION_KEY = "invitation_token"


class SignInView(LoginView):
    """Staff start at their work to do, editors at their organisations; a safe `next` address wins."""

    authentication_form = SignInForm

    def get_default_redirect_url(self):
        if self.request.user.is_staff:  # signed in by now: LoginView asks only after login()
            return resolve_url("editing:work_to_do")
        return super().get_default_redirect_url()


def invitation_open(request, token: str):
    """Keep the token in the session and drop it from the address, so it is not in any later link."""
    request.session[SESSION_KEY] = token
    return redirect("accounts:invitation_accept")


class InvitationAcceptView(View):
    """Accept an invitation: make a password if new, sign in first if the account already exists."""

    def dispatch(self, request, *args, **kwargs):
        token = request.session.get(SESSION_KEY, "")
        self.invitation = Invitation.objects.open().by_token(token).select_related("organisation").first()
        if self.invitation is None:
            return render(request, "accounts/invitation_invalid.html", status=404)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_page(NewAccountForm(self.invitation))

    def post(self, request):
        if request.user.is_authenticated:
            return self.accept_as(request.user)
        form = NewAccountForm(self.invitation, request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            user = account_create_from_invitation(
                invitation=self.invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["new_password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_page(form, status=400)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return self.welcome(request)

    def accept_as(self, user):
        try:
            invitation_accept(invitation=self.invitation, user=user)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect("accounts:invitation_accept")
        return self.welcome(self.request)

    def welcome(self, request):
        request.session.pop(SESSION_KEY, None)
        organisation = self.invitation.organisation
        messages.success(request, f"Welcome. You can now propose changes to {organisation.name}'s listings.")
        return redirect("editing:organisation", slug=organisation.slug)

    def render_page(self, form, status=200):
        user = self.request.user
        context = {
            "invitation": self.invitation,
            "form": form,
            "has_account": get_user_model().objects.filter(email__iexact=self.invitation.email).exists(),
            "signed_in_as_invitee": user.is_authenticated
            and user.email.lower() == self.invitation.email.lower(),
            "login_url": f"{reverse('login')}?next={reverse('accounts:invitation_accept')}",
        }
        return render(self.request, "accounts/invitation_accept.html", context, status=status)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response: a plain page saying how long to wait and what else to do."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
