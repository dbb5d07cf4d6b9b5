"""Staff's one queue: everything waiting for a person at the directory, each kind with its count.

Each section shows its first SHOWN items, oldest first where age matters, and links to the admin
for the rest, so the page runs the same few queries however much is waiting. The daily digest
(editing.digest) announces new items from the same queues.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from initiatives.enquiries.models import Enquiry
from initiatives.feedback.models import ProblemReport
from initiatives.models import Organisation, Service
from initiatives.search.models import UnmatchedSearch

from .forms import ApproveSelectedForm
from .models import Revision
from .moderation import revisions_approve_many

SHOWN = 20
APPROVE_PERMISSION = "editing.approve_revision"


def pending_revisions():
    return Revision.objects.pending().for_review_page().order_by("created_at", "pk")


def open_problem_reports():
    return ProblemReport.objects.unresolved().with_listing().order_by("created_at", "pk")


def messages_for_staff():
    return Enquiry.objects.for_staff().select_related("service__organisation").order_by("created_at", "pk")


@dataclass(frozen=True)
class Queue:
    """The first items of one kind of work, how many there are in all, and where to see them all."""

    items: list
    count: int
    all_url: str

    @property
    def has_more(self) -> bool:
        return self.count > len(self.items)


def queue(queryset, *, all_url: str) -> Queue:
    items = list(queryset[:SHOWN])
    # A short first page is the whole queue, so it needs no second query to count it.
    count = len(items) if len(items) < SHOWN else queryset.count()
    return Queue(items=items, count=count, all_url=all_url)


def _changelist(name: str, query: str = "") -> str:
    return reverse(f"admin:{name}_changelist") + query


def work_queues() -> dict[str, Queue]:
    """Every queue on the page, by the name the template uses."""
    due = "?review=overdue&publication_state__exact=published"
    return {
        "revisions": queue(
            pending_revisions(), all_url=_changelist("editing_revision", "?status__exact=pending")
        ),
        "reports": queue(
            open_problem_reports(), all_url=_changelist("feedback_problemreport", "?status=open")
        ),
        "services_due": queue(
            Service.objects.due_for_review().select_related("organisation").order_by("review_due_on", "pk"),
            all_url=_changelist("initiatives_service", due),
        ),
        "organisations_due": queue(
            Organisation.objects.due_for_review().order_by("review_due_on", "pk"),
            all_url=_changelist("initiatives_organisation", due),
        ),
        "enquiries": queue(messages_for_staff(), all_url=_changelist("enquiries_enquiry")),
        "searches": queue(
            UnmatchedSearch.objects.seen_this_month(),
            all_url=_changelist("initiatives_unmatchedsearch", "?period=this-month"),
        ),
    }


def report_approvals(request, approved: list[Revision], problems: list[str]) -> None:
    """Tell the reviewer what a bulk approval did: how many went live, and why each other did not."""
    if approved:
        messages.success(request, f"{len(approved)} approved and published.")
    for problem in problems:
        messages.warning(request, f"Not approved: {problem}")
    if not approved and not problems:
        messages.info(request, "None of the selected changes was waiting for review.")


class StaffOnlyMixin(UserPassesTestMixin):
    """Staff only: anyone signed out is sent to sign in; anyone else signed in is refused (403)."""

    def test_func(self):
        return self.request.user.is_staff


class WorkToDoView(StaffOnlyMixin, TemplateView):
    """Everything waiting for staff; the changes waiting for review can be approved together here."""

    template_name = "manage/work_to_do.html"

    def post(self, request):
        if not request.user.has_perm(APPROVE_PERMISSION):
            raise PermissionDenied("Only staff who review changes can approve them.")
        form = ApproveSelectedForm(request.POST, revisions=Revision.objects.visible_to(request.user))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        approved, problems = revisions_approve_many(
            revisions=form.cleaned_data["revisions"].order_by("created_at", "pk"), reviewer=request.user
        )
        report_approvals(request, approved, problems)
        return redirect("editing:work_to_do")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **work_queues(),
            can_approve=self.request.user.has_perm(APPROVE_PERMISSION),
            searches_per_day=settings.UNMATCHED_SEARCHES_PER_DAY,  # past it, a day's new words are not listed
            **kwargs,
        )
