"""Forms for joining an organisation and inviting colleagues."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

from initiatives.models import MembershipRole

from .services import invitation_problem


class NewAccountForm(SetPasswordForm):
    """The invited person's name and password; the email address comes from the invitation."""

    name = forms.CharField(label="Your name", max_length=150, help_text="Shown to your colleagues.")
    field_order = ["name", "new_password1", "new_password2"]

    def __init__(self, invitation, *args, **kwargs):
        # An unsaved user, so the password checks can compare the password with the email address.
        user = get_user_model()(username=invitation.email, email=invitation.email)
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type the password again"


class InvitationForm(forms.Form):
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

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        problem = invitation_problem(organisation=self.organisation, email=email)
        if problem:
            raise forms.ValidationError(problem)
        return email


class SignInForm(AuthenticationForm):
    """Django's sign-in form, in plain words, saying up front that wrong passwords pause sign-in."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The email address or username and the password do not match. Check them and try again: "
            "after %(limit)s wrong tries, signing in is paused for %(minutes)s minutes."
        ),
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
