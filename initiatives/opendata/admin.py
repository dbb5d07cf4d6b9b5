"""CSV export and import for staff on the organisation, service, place, need and audience admin pages.

django-import-export adds "Import" and "Export" buttons: an import is previewed with each row's
errors before anything is written, the upload is kept server-side (a temporary file) between the
preview and the confirmation, and the confirmed import runs in one transaction, all rows or none.
The Services page also moves the services' contacts, charges, weekly hours and dated sessions, one
file each, chosen in the form's list. The ModelAdmins in initiatives/admin.py are extended here
(admin_extend) rather than edited, so that file keeps one concern.
"""

from django.contrib import messages
from django.utils import timezone
from django.utils.text import slugify
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.results import RowResult

from initiatives.admin import admin_extend
from initiatives.models import Audience, Location, Need, Organisation, Service

from .resources import (
    AudienceResource,
    ContactResource,
    CostOptionResource,
    DatedSessionResource,
    LocationResource,
    NeedResource,
    OrganisationResource,
    ScheduleResource,
    ServiceResource,
)

# Each page's kinds of file, the page's own records first.
RESOURCES = {
    Need: [NeedResource],
    Audience: [AudienceResource],
    Organisation: [OrganisationResource],
    Location: [LocationResource],
    Service: [ServiceResource, ContactResource, CostOptionResource, ScheduleResource, DatedSessionResource],
}


class CsvTransferMixin(ImportExportMixin):
    import_formats = [CSV]
    export_formats = [CSV]

    def get_resource_classes(self, request):
        return RESOURCES[self.model]

    def get_export_filename(self, request, queryset, file_format):
        """Name the file after the rows in it ("service-contacts-2025-11-30.csv"), not after the page."""
        name = slugify(self._chosen_resource(request).get_display_name())
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def add_success_message(self, result, request):
        """Say what was imported in the words of the file chosen: contacts, not "services"."""
        totals = result.totals
        messages.success(
            request,
            f"Import finished: {totals[RowResult.IMPORT_TYPE_NEW]} new, "
            f"{totals[RowResult.IMPORT_TYPE_UPDATE]} updated, {totals[RowResult.IMPORT_TYPE_DELETE]} "
            f"deleted and {totals[RowResult.IMPORT_TYPE_SKIP]} unchanged "
            f"{self._chosen_resource(request).get_display_name().lower()}.",
        )

    def _chosen_resource(self, request):
        # The forms have checked the choice by now; a page with one kind of file may not send it.
        return self.get_resource_classes(request)[int(request.POST.get("resource") or 0)]


for model in RESOURCES:
    admin_extend(model, CsvTransferMixin)
