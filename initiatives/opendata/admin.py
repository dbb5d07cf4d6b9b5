"""CSV export and import for staff on the organisation, service, place, need and audience admin pages.

django-import-export adds "Import" and "Export" buttons: an import is previewed with each row's
errors before anything is written, the upload is kept server-side (a temporary file) between the
preview and the confirmation, and the confirmed import runs in one transaction, all rows or none.
The ModelAdmins in initiatives/admin.py are extended here (admin_extend) rather than edited, so that
file keeps one concern.
"""

from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV

from initiatives.admin import admin_extend
from initiatives.models import Audience, Location, Need, Organisation, Service

from .resources import AudienceResource, LocationResource, NeedResource, OrganisationResource, ServiceResource

RESOURCES = {
    Need: NeedResource,
    Audience: AudienceResource,
    Organisation: OrganisationResource,
    Location: LocationResource,
    Service: ServiceResource,
}


class CsvTransferMixin(ImportExportMixin):
    import_formats = [CSV]
    export_formats = [CSV]

    def get_resource_classes(self, request):
        return [RESOURCES[self.model]]


for model in RESOURCES:
    admin_extend(model, CsvTransferMixin)
