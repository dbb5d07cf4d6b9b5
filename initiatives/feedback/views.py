"""Residents report a problem with a public listing; a thank-you page follows (post, redirect, get).

Editors read the reports about their own organisations' listings under /manage/ and mark them resolved.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, TemplateView, UpdateView

from initiatives.models import Organisation, Service
from initiatives.ratelimit import rate_limit_hit

from .forms import ProblemReportForm, ProblemReportResolveForm
from .models import ProblemReport
from .services import problem_report_resolve, problem_report_submit

# The reference of the report just sent, for the thank-you page that follows the redirect.
REFERENCE_SESSION_KEY = "problem_report_reference"


class ListingMixin:
    """Finds the published listing named in the URL; `model` is set by the URL (Organisation or Service)."""

    model = None

    def dispatch(self, request, *args, **kwargs):
        self.listing = get_object_or_404(self.model.objects.published(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(listing=self.listing, action=report_url(self.listing), **kwargs)


class ReportProblemView(ListingMixin, FormView):
    form_class = ProblemReportForm
    template_name = "feedback/report_form.html"

    def post(self, request, *args, **kwargs):
        # Every attempt counts, so a robot cannot keep trying; only a keyed hash of the address is kept.
        if rate_limit_hit(request, scope="problem_report"):
            return render(
                request,
                "feedback/report_refused.html",
                {"listing": self.listing, "rate_limited": True, **_limit_context()},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.is_spam:
            return render(self.request, "feedback/report_refused.html", {"listing": self.listing}, status=400)
        report = problem_report_submit(
            listing=self.listing,
            text=form.cleaned_data["text"],
            contact_email=form.cleaned_data["contact_email"],
        )
        self.request.session[REFERENCE_SESSION_KEY] = report.reference
        return redirect(report_url(self.listing, sent=True))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ReportSentView(ListingMixin, TemplateView):
    """Thanks, with the report's reference and when someone who left an address hears back."""

    template_name = "feedback/report_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reference=self.request.session.get(REFERENCE_SESSION_KEY, ""),
            reply_days=settings.ENQUIRY_REPLY_DAYS,
            **kwargs,
        )


class ManageProblemReportListView(LoginRequiredMixin, ListView):
    """Reports about the listings of the organisations this person edits (staff: every one)."""

    template_name = "feedback/manage_list.html"
    context_object_name = "reports"
    paginate_by = 50
    statuses = [("open", "Open"), ("resolved", "Resolved")]

    @cached_property
    def organisation(self) -> Organisation | None:
        """The one organisation asked for (from its manage page), found among this person's only."""
        slug = self.request.GET.get("organisation")
        if not slug:
            return None
        return get_object_or_404(Organisation.objects.editable_by(self.request.user), slug=slug)

    def get_queryset(self):
        reports = ProblemReport.objects.visible_to(self.request.user).with_listing()
        if self.organisation:
            reports = reports.filter(organisation=self.organisation)
        status = self.request.GET.get("status")
        if status == "open":
            return reports.unresolved()
        if status == "resolved":
            return reports.resolved()
        return reports  # no status, or one we do not know: every report, as the "All" link shows

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation,
            statuses=self.statuses,
            current_status=self.request.GET.get("status", ""),
            **kwargs,
        )


class ManageProblemReportDetailView(LoginRequiredMixin, UpdateView):
    """One report, reached only through the editor's own organisations: anyone else gets a 404."""

    template_name = "feedback/manage_detail.html"
    form_class = ProblemReportResolveForm
    context_object_name = "report"

    def get_queryset(self):
        reports = ProblemReport.objects.visible_to(self.request.user).with_listing()
        return reports.select_related("resolved_by")

    def form_valid(self, form):
        try:
            problem_report_resolve(
                report=self.object, actor=self.request.user, note=form.cleaned_data["resolution_note"]
            )
        except ValidationError as error:
            self.object.refresh_from_db()  # show what is stored, not the note the form just set
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, "Marked as resolved.")
        return redirect("feedback:manage_detail", pk=self.object.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def report_url(listing: Organisation | Service, *, sent: bool = False) -> str:
    kind = "service" if isinstance(listing, Service) else "organisation"
    return reverse(f"feedback:{kind}_report{'_sent' if sent else ''}", args=[listing.slug])


def _limit_context() -> dict:
    return {
        "limit": settings.ENQUIRY_RATE_LIMIT,
        "window_minutes": settings.ENQUIRY_RATE_WINDOW_SECONDS // 60,
    }
