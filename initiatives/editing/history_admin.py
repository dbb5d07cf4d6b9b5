"""History in the staff admin: every version of an organisation or service, compared and restorable.

django-simple-history lists the versions (who, when, why: initiatives/admin.py). With this mixin,
opening one shows it beside the live listing, and restoring it goes through editing.moderation, so a
restore is itself a recorded, audited change rather than a silent overwrite.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .moderation import listing_restore
from .snapshots import compare, snapshot_of, spec_for


class VersionCompareMixin:
    """Added to the organisation and service admins (editing/admin.py): a version page that compares."""

    version_template = "admin/editing/history_version.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        listing = get_object_or_404(self.get_queryset(request), pk=object_id)
        version = get_object_or_404(listing.history.all(), history_id=version_id)
        if not self.has_view_history_or_change_history_permission(request, listing):
            raise PermissionDenied
        can_restore = self.has_change_permission(request, listing) and request.user.has_perm(
            "editing.approve_revision"
        )
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            try:
                listing_restore(listing=listing, version=version, actor=request.user)
            except ValidationError as error:
                messages.error(request, f"This version cannot be restored: {' '.join(error.messages)}")
            else:
                messages.success(request, f"Restored the version of {version.history_date:%d %B %Y, %H:%M}.")
                return redirect(
                    reverse(
                        f"admin:{listing._meta.app_label}_{listing._meta.model_name}_history",
                        args=[listing.pk],
                    )
                )
        spec = spec_for(listing)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Version of {version.history_date:%d %B %Y, %H:%M}: {listing}",
            "listing": listing,
            "version": version,
            "differences": compare(spec, snapshot_of(listing), version.snapshot),
            "can_restore": can_restore,
            "history_url": reverse(
                f"admin:{listing._meta.app_label}_{listing._meta.model_name}_history", args=[listing.pk]
            ),
        }
        return TemplateResponse(request, self.version_template, context)
