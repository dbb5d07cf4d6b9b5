"""Staff review editors' changes here: a field-by-field comparison, approve or reject with a reason."""

from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from initiatives.admin import admin_extend
from initiatives.models import Organisation, Service
from initiatives.publishing import PublicationState

from .forms import DecisionForm
from .history_admin import VersionCompareMixin
from .models import Revision, RevisionStatus
from .moderation import RevisionConflict, revision_approve, revision_reject, revisions_approve_many
from .snapshots import clashing_names, compare, snapshot_of, spec_for
from .work_to_do import report_approvals


@admin.action(description="Approve selected changes", permissions=["approve"])
def approve_selected(modeladmin, request, queryset):
    approved, problems = revisions_approve_many(
        revisions=queryset.pending().order_by("created_at"), reviewer=request.user
    )
    report_approvals(request, approved, problems)


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["listing_name", "organisation", "kind", "author", "created_at", "status", "trusted"]
    list_filter = ["status", "kind", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["organisation__name", "service__name", "author__email", "author__username"]
    list_select_related = ["organisation", "service", "author"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = [approve_selected]
    review_template = "admin/editing/revision/review.html"

    def get_queryset(self, request):
        # Staff reach every organisation; the rule still lives in one place.
        visible = Organisation.objects.editable_by(request.user)
        return super().get_queryset(request).filter(organisation__in=visible)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_approve_permission(self, request, obj=None):
        return request.user.has_perm("editing.approve_revision")

    @admin.display(description="listing")
    def listing_name(self, revision):
        return revision.listing_name

    @admin.display(description="trusted", boolean=True)
    def trusted(self, revision):
        return revision.organisation.is_trusted

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review page: what changed, what changed meanwhile, and the decision."""
        revision = get_object_or_404(self.get_queryset(request).for_review_page(), pk=object_id)
        if not self.has_view_permission(request, revision):
            raise PermissionDenied
        form = DecisionForm(request.POST or None)
        if request.method == "POST":
            if not self.has_approve_permission(request):
                raise PermissionDenied
            if form.is_valid() and self.decide(request, revision, form):
                changelist = reverse("admin:editing_revision_changelist")
                return redirect(f"{changelist}?status__exact={RevisionStatus.PENDING}")
        return TemplateResponse(request, self.review_template, self.review_context(request, revision, form))

    def decide(self, request, revision, form) -> bool:
        reason = form.cleaned_data["reason"]
        try:
            if "_reject" in request.POST:
                revision_reject(revision=revision, reviewer=request.user, reason=reason)
                self.message_user(
                    request, f"Not approved: {revision.listing_name}. The editor has been emailed."
                )
            else:
                revision_approve(revision=revision, reviewer=request.user, reason=reason)
                self.message_user(
                    request, f"Approved and published: {revision.listing_name}.", messages.SUCCESS
                )
        except RevisionConflict as conflict:
            form.add_error(None, str(conflict))
            return False
        except ValidationError as error:
            field = "reason" if "_reject" in request.POST else None
            form.add_error(field, _naming_fields(revision.listing, error))
            return False
        return True

    def review_context(self, request, revision, form) -> dict:
        listing = revision.listing
        spec = spec_for(listing)
        is_draft = listing.publication_state == PublicationState.DRAFT
        current = snapshot_of(listing)
        changes = compare(spec, {} if is_draft else revision.base, revision.data)
        meanwhile = {row.name: row for row in compare(spec, revision.base, current)}
        for change in changes:
            change.meanwhile = meanwhile.get(change.name)
        clashes = clashing_names(spec, base=revision.base, proposed=revision.data, current=current)
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Review: {revision}",
            "revision": revision,
            "listing": listing,
            "is_draft": is_draft,
            "changes": changes,
            "clashes": [spec.label(name) for name in clashes],
            "other_pending": Revision.objects.pending().of_listing(listing).exclude(pk=revision.pk),
            "form": form,
            "can_decide": revision.is_pending and self.has_approve_permission(request),
            "listing_admin_url": reverse(
                f"admin:initiatives_{listing._meta.model_name}_change", args=[listing.pk]
            ),
        }


def _naming_fields(listing, error: ValidationError) -> list[str]:
    """The listing's errors as sentences that name their field: the decision form has no such fields."""
    if not hasattr(error, "error_dict"):
        return error.messages
    label = spec_for(listing).label
    return [
        message if name == NON_FIELD_ERRORS else f"{label(name)}: {message}"
        for name, found in error.message_dict.items()
        for message in found
    ]


# Every version of an organisation or service opens beside the live listing, and can be restored.
admin_extend(Organisation, VersionCompareMixin)
admin_extend(Service, VersionCompareMixin)
