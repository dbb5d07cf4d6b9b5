"""The "Send a message" form and the editors' status form."""

import re

from django import forms

from initiatives.text_rules import single_line

from .models import Enquiry, EnquiryStatus

# A UK number once spaces, dashes, dots and brackets are gone: 0 or +44, then 9 or 10 digits.
UK_PHONE = re.compile(r"^(?:\+44|0)\d{9,10}$")
PHONE_SEPARATORS = re.compile(r"[\s\-().]")


class DescribedErrorsMixin:
    """Point each invalid field's aria-describedby at its hint and its error message.

    The ids match templates/enquiries/field.html, so screen readers read the error with the field.
    """

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                described_by = [f"id_{name}_helptext"] if field.help_text else []
                field.widget.attrs["aria-describedby"] = " ".join([*described_by, f"id_{name}_error"])


class EnquiryForm(DescribedErrorsMixin, forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=100,
        # Browsers and phones offer the resident's saved details, so there is less to type.
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your name"},
        validators=[single_line],
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=30,
        widget=forms.TelInput(attrs={"autocomplete": "tel"}),  # type="tel": phones show a number pad
        help_text="A UK number, for example 01908 123456 or 07700 900123.",
        validators=[single_line],
    )
    message = forms.CharField(
        label="Your message",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say what you would like help with. Do not include bank or medical details.",
        error_messages={
            "required": "Enter your message",
            "max_length": "Your message must be 2,000 characters or fewer",
        },
    )
    consent = forms.BooleanField(
        label="I agree to my message and contact details being used as described above",
        error_messages={"required": "Tick the box to agree, or we cannot pass on your message"},
    )
    # A trap for spam robots: hidden from people (and screen readers) by the stylesheet.
    website = forms.CharField(label="Leave this empty", required=False)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        digits = PHONE_SEPARATORS.sub("", phone)
        if not UK_PHONE.match(digits):
            raise forms.ValidationError("Enter a UK phone number, like 01908 123456 or 07700 900123")
        return phone

    def clean(self):
        cleaned = super().clean()
        given = cleaned.get("email") or cleaned.get("phone")
        if not given and not (self.has_error("email") or self.has_error("phone")):
            self.add_error("email", "Enter an email address or a phone number, so they can reply")
        return cleaned

    @property
    def is_spam(self) -> bool:
        """Whether the hidden trap field was filled in, as only a robot would."""
        return bool(self.cleaned_data.get("website"))


class EnquiryStatusForm(DescribedErrorsMixin, forms.ModelForm):
    class Meta:
        model = Enquiry
        fields = ["status", "private_note"]
        labels = {"status": "Status", "private_note": "Private note"}
        help_texts = {"private_note": "Only your organisation's editors see this note, never the resident."}
        widgets = {
            "status": forms.RadioSelect(choices=EnquiryStatus.choices),
            "private_note": forms.Textarea(attrs={"rows": 4}),
        }
