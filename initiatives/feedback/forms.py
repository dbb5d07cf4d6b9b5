"""The short "Report a problem" form on every public listing page, and the form marking a report resolved."""

from django import forms

from .models import ProblemReport

TEXT_MAX_LENGTH = 2000


class ProblemReportForm(forms.Form):
    text = forms.CharField(
        label="What is wrong?",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, a phone number that no longer works or opening times that have changed.",
        error_messages={
            "required": "Say what is wrong on this page",
            "max_length": f"Keep it to {TEXT_MAX_LENGTH:,} characters or fewer",
        },
    )
    contact_email = forms.EmailField(
        label="Your email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        help_text="Only if you would like to hear back. We pass it to the organisation with your report.",
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    # A trap for spam robots: hidden from people, and from screen readers, by the template.
    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args, **kwargs):
        # Distinct ids, as the form shares its page with the listing's other forms.
        super().__init__(*args, **{"auto_id": "report_%s", **kwargs})

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class ProblemReportResolveForm(forms.ModelForm):
    """What an editor or staff member did about a report, written as they mark it resolved."""

    class Meta:
        model = ProblemReport
        fields = ["resolution_note"]
        labels = {"resolution_note": "What was done"}
        help_texts = {
            "resolution_note": "For example, “Changed the phone number” or “Checked: the times were right”. "
            "Your organisation's editors and our staff see this; the resident does not."
        }
        widgets = {"resolution_note": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "resolution_note": {"max_length": f"Keep it to {TEXT_MAX_LENGTH:,} characters or fewer"}
        }
