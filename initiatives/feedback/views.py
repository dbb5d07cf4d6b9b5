"""Residents report a problem with a public listing; a thank-you page follows (post, redirect, get)."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from initiatives.models import Organisation, Service
from initiatives.ratelimit import rate_limit_hit

from .forms import ProblemReportForm
from .services import problem_report_submit

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


def report_url(listing: Organisation | Service, *, sent: bool = False) -> str:
    kind = "service" if isinstance(listing, Service) else "organisation"
    return reverse(f"feedback:{kind}_report{'_sent' if sent else ''}", args=[listing.slug])


def _limit_context() -> dict:
    return {
        "limit": settings.ENQUIRY_RATE_LIMIT,
        "window_minutes": settings.ENQUIRY_RATE_WINDOW_SECONDS // 60,
    }
