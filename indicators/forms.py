"""Staff forms for indicators: uploading a CSV of figures."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .importing import UploadError, decode_upload


class DataPointImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file of figures",
        help_text=(
            "Columns: indicator, area_code, period_label, period_start, period_end, value, and optionally "
            "lower_limit, upper_limit, sample_size, rank, rank_out_of, source. UTF-8, at most "
            f"{filesizeformat(settings.INDICATOR_IMPORT_MAX_BYTES)}."
        ),
    )

    def clean_file(self):
        """Read the upload as text, so the view never handles bytes: too big or not UTF-8 is an error."""
        upload = self.cleaned_data["file"]
        limit = settings.INDICATOR_IMPORT_MAX_BYTES
        try:
            # Read one byte past the limit so an oversized file is caught without reading it all.
            self.cleaned_data["text"] = decode_upload(upload.read(limit + 1), max_bytes=limit)
        except UploadError as error:
            raise forms.ValidationError(str(error), code="unreadable") from error
        return upload
