"""CSV export and import for staff on the organisation, service, place, need and audience admin pages.

django-import-export adds "Import" and "Export" buttons: an import is previewed with each row's
errors before anything is written, the upload is kept server-side (a temporary file) between the
preview and the confirmation, and the confirmed import runs in one transaction, all rows or none.
The ModelAdmins in initiatives/admin.py are extended here rather than edited, so that file keeps
one concern.
"""

from django.contrib import admin
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV

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


def add_csv_transfer(site: admin.AdminSite = admin.site) -> None:
    """Re-register each model's admin with the CSV import and export buttons added."""
    for model, resource in RESOURCES.items():
        registered = type(site._registry[model])
        if issubclass(registered, CsvTransferMixin):
            continue
        site.unregister(model)
        with_csv = type(registered.__name__, (CsvTransferMixin, registered), {"resource_classes": [resource]})
        site.register(model, with_csv)


add_csv_transfer()
