"""Forms for joining an organisation and inviting colleagues."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

from initiatives.models import MembershipRole
from initiatives.text_rules import single_line

from .services import invitation_problem


class SaysWhatIsMissing:
    """Say what to enter when a field is left empty: error summaries show the message alone, so
    Django's "This field is required." would not say which field (GOV.UK's pattern)."""

    required_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.required_messages.items():
            self.fields[name].error_messages["required"] = message


NEW_PASSWORD_MESSAGES = {"new_password1": "Choose a password", "new_password2": "Type the password again"}


class NewAccountForm(SaysWhatIsMissing, SetPasswordForm):
    """The invited person's name and password; the email address comes from the invitation."""

    name = forms.CharField(
        label="Your name",
        max_length=150,
        help_text="Shown to your colleagues.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[single_line],
    )
    field_order = ["name", "new_password1", "new_password2"]
    required_messages = {"name": "Enter your name", **NEW_PASSWORD_MESSAGES}

    def __init__(self, invitation, *args, **kwargs):
        # An unsaved user, so the password checks can compare the password with the email address.
        user = get_user_model()(username=invitation.email, email=invitation.email)
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type the password again"


class NewPasswordForm(SaysWhatIsMissing, SetPasswordForm):
    required_messages = NEW_PASSWORD_MESSAGES


class ChangePasswordForm(SaysWhatIsMissing, PasswordChangeForm):
    required_messages = {"old_password": "Enter your current password", **NEW_PASSWORD_MESSAGES}


class ResetPasswordForm(SaysWhatIsMissing, PasswordResetForm):
    required_messages = {"email": "Enter the email address you sign in with"}

    def save(self, **kwargs):
        """Email a link to the site's own address (SITE_URL), never to the host or port the request named.

        Django builds the link from the request's Host header, which whoever asks for the reset
        writes: an address (or port) of theirs would carry the victim's reset token to them.
        """
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        return super().save(**kwargs)


class InvitationForm(SaysWhatIsMissing, forms.Form):
    """A manager's invitation to a colleague."""

    email = forms.EmailField(
        label="Their email address", help_text="We send the invitation link to this address."
    )
    role = forms.ChoiceField(
        label="Their role",
        choices=MembershipRole.choices,
        initial=MembershipRole.EDITOR,
        widget=forms.RadioSelect,
        help_text="Editors propose changes to listings. Managers can also invite and remove colleagues.",
    )

    required_messages = {"email": "Enter their email address", "role": "Choose their role"}

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        problem = invitation_problem(organisation=self.organisation, email=email)
        if problem:
            raise forms.ValidationError(problem)
        return email


class SignInForm(SaysWhatIsMissing, AuthenticationForm):
    """Django's sign-in form, in plain words, saying up front that wrong passwords pause sign-in."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The email address or username and the password do not match. Check them and try again: "
            "after %(limit)s wrong tries, signing in is paused for %(minutes)s minutes."
        ),
    }
    required_messages = {
        "username": "Enter your email address or username",
        "password": "Enter your password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address or username"
        self.fields["password"].label = "Password"

    def get_invalid_login_error(self):
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={
                "limit": settings.AXES_FAILURE_LIMIT,
                "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            },
        )
