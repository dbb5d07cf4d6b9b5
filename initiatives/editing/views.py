"""The manage area: charity editors keep their own organisations' listings up to date.

Every address is reached through `editable_by(request.user)`, so an editor of one organisation
gets "Page not found" for anything of another's, and anonymous visitors are sent to sign in.
Nothing here writes to a live listing: submissions become revisions (editing.moderation).
"""

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import DetailView, ListView

from initiatives.accounts.forms import InvitationForm
from initiatives.accounts.models import Invitation
from initiatives.accounts.services import invitation_send, membership_remove
from initiatives.enquiries.models import Enquiry, EnquiryStatus
from initiatives.feedback.models import ProblemReport
from initiatives.models import Organisation, OrganisationMembership, Service
from initiatives.publishing import PublicationState

from .forms import as_initial, listing_forms, listing_forms_valid
from .models import Revision, RevisionStatus
from .moderation import (
    EditConflict,
    listing_version,
    organisation_of,
    revision_submit,
    revision_withdraw,
    service_propose,
)
from .snapshots import compare, form_initial, snapshot_from_forms, snapshot_of, spec_for


def is_manager(user, organisation: Organisation) -> bool:
    """Managers (and staff) may invite and remove colleagues and withdraw anyone's change."""
    return (
        user.is_staff
        or OrganisationMembership.objects.managers().filter(user=user, organisation=organisation).exists()
    )


def listing_states(listing, *, has_pending: bool, today) -> list[str]:
    """What an editor needs to know about a listing, in words."""
    state = listing.publication_state
    if state == PublicationState.ARCHIVED:
        states = ["Archived: not shown on the site"]
    elif state == PublicationState.DRAFT:
        states = ["New: waiting for review" if has_pending else "Draft: not shown on the site"]
    else:
        states = ["Published"] if state == PublicationState.PUBLISHED else ["Waiting for review"]
        if has_pending:
            states.append("Changes waiting for review")
    if state == PublicationState.PUBLISHED and listing.review_due_on and listing.review_due_on <= today:
        states.append("Due for a check")
    return states


class DashboardView(LoginRequiredMixin, ListView):
    template_name = "manage/dashboard.html"
    context_object_name = "organisations"
    paginate_by = 50

    def get_queryset(self):
        today = timezone.localdate()
        return (
            Organisation.objects.editable_by(self.request.user)
            .annotate(
                service_count=Count("services", distinct=True),
                pending_count=Count(
                    "revisions", filter=Q(revisions__status=RevisionStatus.PENDING), distinct=True
                ),
                due_count=Count(
                    "services",
                    filter=Q(
                        services__publication_state=PublicationState.PUBLISHED,
                        services__review_due_on__lte=today,
                    ),
                    distinct=True,
                ),
            )
            .order_by("name")
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            new_enquiry_count=Enquiry.objects.visible_to(user).filter(status=EnquiryStatus.NEW).count(),
            open_report_count=ProblemReport.objects.visible_to(user).unresolved().count(),
            **kwargs,
        )


class OrganisationScopedMixin(LoginRequiredMixin):
    """Fetch the organisation named in the address, among those this person may edit only."""

    @cached_property
    def organisation(self) -> Organisation:
        return get_object_or_404(
            Organisation.objects.editable_by(self.request.user), slug=self.kwargs["slug"]
        )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.organisation  # noqa: B018 - "Page not found" for another's, whatever the method
        return super().dispatch(request, *args, **kwargs)


class OrganisationView(OrganisationScopedMixin, DetailView):
    template_name = "manage/organisation.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        return self.organisation

    def get_context_data(self, **kwargs):
        organisation, today = self.organisation, timezone.localdate()
        pending = Revision.objects.pending()
        services = list(
            organisation.services.annotate(
                has_pending=Exists(pending.filter(service=OuterRef("pk")))
            ).order_by("name")
        )
        for service in services:
            service.states = listing_states(service, has_pending=service.has_pending, today=today)
        own_details_pending = pending.of_listing(organisation).exists()
        return super().get_context_data(
            services=services,
            organisation_states=listing_states(organisation, has_pending=own_details_pending, today=today),
            recent_changes=organisation.revisions.for_review_page()[:10],
            is_manager=is_manager(self.request.user, organisation),
            **kwargs,
        )


class ListingFormView(LoginRequiredMixin, View):
    """Edit a listing, or propose a new one; what is submitted becomes a revision for review."""

    template_name = "manage/listing_form.html"

    def get_listing(self):
        raise NotImplementedError

    @cached_property
    def listing(self):
        return self.get_listing()

    @property
    def is_new(self) -> bool:
        return self.listing.pk is None

    @property
    def organisation(self) -> Organisation:
        return organisation_of(self.listing)

    @property
    def spec(self):
        return spec_for(self.listing)

    def get(self, request, **kwargs):
        initial, children = {}, {}
        if not self.is_new:
            live = snapshot_of(self.listing)
            own_pending = next((r for r in self.pending if r.author_id == request.user.pk), None)
            initial, children = form_initial(self.spec, own_pending.data if own_pending else live)
            initial["version"] = listing_version(
                self.listing, live, getattr(self.listing, "latest_revision_pk", None) or 0
            )
        form, formsets = self.build_forms(initial=initial, children=children)
        return self.render_form(form, formsets)

    def post(self, request, **kwargs):
        form, formsets = self.build_forms(data=request.POST, files=request.FILES)
        if "more_rows" in request.POST:
            return self.render_more_rows(form, formsets, request.POST.get("more_rows_in", ""))
        if not listing_forms_valid(form, formsets):
            return self.render_form(form, formsets, status=400)
        data, uploads = snapshot_from_forms(self.spec, form, formsets)
        try:
            revision = self.submit(data, uploads, form.cleaned_data)
        except EditConflict:
            return self.render_conflict(data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(form, formsets, status=400)
        if revision.status == RevisionStatus.APPROVED:
            messages.success(request, "Your changes are published.")
        else:
            messages.success(
                request,
                "Thank you. Your changes are waiting for review; the listing stays as it was until then.",
            )
        return redirect(revision)

    def submit(self, data, uploads, cleaned):
        if self.is_new:
            return service_propose(
                organisation=self.organisation,
                data=data,
                uploads=uploads,
                author=self.request.user,
                note=cleaned["note"],
            )
        return revision_submit(
            listing=self.listing,
            data=data,
            uploads=uploads,
            author=self.request.user,
            seen_version=cleaned["version"],
            note=cleaned["note"],
        )

    def build_forms(self, data=None, **kwargs):
        # A copy: validating a ModelForm writes the posted values onto its instance.
        listing = copy.copy(self.listing)
        if data is None:
            # An unbound form is filled from a snapshot; without a pk, the ModelForm does not
            # read the listing's needs, audiences and places again (a query each).
            listing.pk = None
        return listing_forms(self.spec, listing=listing, organisation=self.organisation, data=data, **kwargs)

    @cached_property
    def pending(self) -> list[Revision]:
        """The changes to this listing waiting for review, read once per request."""
        if self.is_new:
            return []
        return list(Revision.objects.pending().of_listing(self.listing).select_related("author"))

    def render_more_rows(self, form, formsets, child_name: str):
        """The form as the editor left it, unchecked, with more spare rows in the set they chose."""
        if child_name not in formsets:
            return self.render_form(form, formsets, status=400)
        initial, children = as_initial(form, formsets)
        form, formsets = self.build_forms(initial=initial, children=children, more_rows=child_name)
        return self.render_form(
            form,
            formsets,
            focus_label=self.spec.child(child_name).label,
            more_rows_in=child_name,
            had_uploads=bool(self.request.FILES),
        )

    def render_form(self, form, formsets, status=200, **extra):
        pending = self.pending
        context = {
            "listing": self.listing,
            "organisation": self.organisation,
            "is_new": self.is_new,
            "form": form,
            "formsets": formsets,
            "more_rows_choices": [
                (name, self.spec.child(name).label) for section in self.spec.sections for name in section.rows
            ],
            "formset_errors": any(formset.total_error_count() for formset in formsets.values()),
            "sections": [
                (
                    section,
                    [form[name] for name in section.fields],
                    [(self.spec.child(name), formsets[name]) for name in section.rows],
                )
                for section in self.spec.sections
            ],
            "others_pending": [r for r in pending if r.author_id != self.request.user.pk],
            "own_pending": [r for r in pending if r.author_id == self.request.user.pk],
            **extra,
        }
        return render(self.request, self.template_name, context, status=status)

    def render_conflict(self, yours):
        """Show what changed meanwhile beside the editor's version, with their version ready to send again."""
        post = self.request.POST.copy()
        post["version"] = listing_version(self.listing)
        form, formsets = self.build_forms(data=post)
        listing_forms_valid(form, formsets)
        spec = self.spec
        others = [
            (revision, compare(spec, revision.data, yours))
            for revision in self.pending
            if revision.author_id != self.request.user.pk
        ]
        return self.render_form(
            form,
            formsets,
            status=409,
            conflict=True,
            live_differences=compare(spec, snapshot_of(self.listing), yours),
            pending_differences=others,
            had_uploads=bool(self.request.FILES),
        )


class OrganisationEditView(OrganisationScopedMixin, ListingFormView):
    def get_listing(self):
        return self.organisation


class ServiceEditView(ListingFormView):
    def get_listing(self):
        queryset = (
            Service.objects.editable_by(self.request.user)
            .select_related("organisation")
            .annotate(latest_revision_pk=Revision.objects.latest_pk_subquery())
        )
        service = get_object_or_404(queryset, slug=self.kwargs["slug"])
        if service.publication_state == PublicationState.ARCHIVED:
            raise Http404("An archived listing cannot be edited; ask the directory staff to restore it.")
        return service


class ServiceCreateView(OrganisationScopedMixin, ListingFormView):
    def get_listing(self):
        return Service(organisation=self.organisation)


class RevisionScopedMixin(LoginRequiredMixin):
    @cached_property
    def revision(self) -> Revision:
        visible = Revision.objects.visible_to(self.request.user).for_review_page()
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.revision  # noqa: B018 - "Page not found" for another's, whatever the method
        return super().dispatch(request, *args, **kwargs)

    def can_withdraw(self) -> bool:
        revision, user = self.revision, self.request.user
        return revision.is_pending and (
            revision.author_id == user.pk or is_manager(user, revision.organisation)
        )


class RevisionView(RevisionScopedMixin, View):
    def get(self, request, pk):
        revision = self.revision
        spec = spec_for(revision.listing)
        is_new_listing = revision.listing.publication_state == PublicationState.DRAFT
        before = {} if is_new_listing else revision.base
        return render(
            request,
            "manage/revision.html",
            {
                "revision": revision,
                "changes": compare(spec, before, revision.data),
                "can_withdraw": self.can_withdraw(),
            },
        )


class RevisionWithdrawView(RevisionScopedMixin, View):
    def post(self, request, pk):
        if not self.can_withdraw():
            raise PermissionDenied("Only the person who sent this change, or a manager, can withdraw it.")
        try:
            revision_withdraw(revision=self.revision, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.revision)
        messages.success(request, "The change was withdrawn.")
        return redirect("editing:organisation", slug=self.revision.organisation.slug)


class TeamView(OrganisationScopedMixin, View):
    """The people who can edit the organisation's listings; managers invite and remove them here."""

    template_name = "manage/team.html"

    def get(self, request, slug):
        return self.render_page(InvitationForm(organisation=self.organisation))

    def post(self, request, slug):
        self.require_manager()
        form = InvitationForm(request.POST, organisation=self.organisation)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            invitation_send(
                organisation=self.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
            return self.render_page(form, status=400)
        messages.success(request, f"We have emailed an invitation to {form.cleaned_data['email']}.")
        return redirect("editing:team", slug=slug)

    def require_manager(self):
        if not is_manager(self.request.user, self.organisation):
            raise PermissionDenied("Only managers can invite or remove colleagues.")

    def render_page(self, form, status=200):
        organisation = self.organisation
        context = {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user").order_by(
                "user__first_name", "user__email"
            ),
            "invitations": Invitation.objects.open().filter(organisation=organisation),
            "is_manager": is_manager(self.request.user, organisation),
            "form": form,
        }
        return render(self.request, self.template_name, context, status=status)


class MembershipRemoveView(TeamView):
    http_method_names = ["post"]

    def post(self, request, slug, pk):
        self.require_manager()
        membership = get_object_or_404(self.organisation.memberships.select_related("user"), pk=pk)
        try:
            membership_remove(membership=membership, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            name = membership.user.get_full_name() or membership.user.email
            messages.success(request, f"{name} can no longer edit {self.organisation}'s listings.")
        return redirect("editing:team", slug=slug)
