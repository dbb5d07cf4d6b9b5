"""Staff forms for indicators: uploading a CSV of figures, in our columns or as ONS publishes them."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .choices import ValueType
from .importing import UploadError, decode_upload
from .models import Area, Indicator


class UploadedTextMixin:
    """Reads the `file` field as text, so the view never handles bytes: too big or not UTF-8 is an error."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.INDICATOR_IMPORT_MAX_BYTES
        try:
            # Read one byte past the limit so an oversized file is caught without reading it all.
            self.cleaned_data["text"] = decode_upload(upload.read(limit + 1), max_bytes=limit)
        except UploadError as error:
            raise forms.ValidationError(str(error), code="unreadable") from error
        return upload


class DataPointImportForm(UploadedTextMixin, forms.Form):
    file = forms.FileField(
        label="CSV file of figures",
        help_text=(
            "Columns: indicator, area_code, period_label, period_start, period_end, value, and optionally "
            "lower_limit, upper_limit, sample_size, rank, rank_out_of, status_note, source. UTF-8, at most "
            f"{filesizeformat(settings.INDICATOR_IMPORT_MAX_BYTES)}."
        ),
    )


class OnsImportForm(UploadedTextMixin, forms.Form):
    """An ONS Explore Local Statistics file, with the indicator it is about and the areas to take."""

    file = forms.FileField(
        label="ONS Explore Local Statistics CSV file",
        help_text=(
            "A file from github.com/ONSdigital/explore-local-statistics-data, such as "
            "claimant-count/claimant-count.csv, as published. UTF-8, at most "
            f"{filesizeformat(settings.INDICATOR_IMPORT_MAX_BYTES)}."
        ),
    )
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.exclude(value_type=ValueType.RANK).order_by("title"),
        help_text="The indicator the file's figures belong to. Its type and unit must match the file's.",
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to take every area the directory knows.",
    )
    series = forms.CharField(
        required=False,
        max_length=200,
        help_text="Only where the file holds several series: the name in its indicator column, e.g. "
        "“Business births”.",
    )

    def ons_options(self) -> dict:
        """How the file is read, kept with the upload so the confirm step reads it the same way."""
        data = self.cleaned_data
        return {
            "indicator": data["indicator"].slug,
            "areas": [area.code for area in data["areas"]],
            "series": data["series"].strip(),
        }
