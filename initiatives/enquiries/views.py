"""Residents send enquiries; editors read and answer their own organisations' enquiries."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import FormView, ListView, TemplateView, UpdateView

from initiatives.models import Service
from initiatives.ratelimit import rate_limit_hit
from initiatives.references import new_reference

from .forms import EnquiryForm, EnquiryStatusForm
from .models import Enquiry, EnquiryStatus
from .readers import message_reader
from .services import enquiry_create, enquiry_update, notices_send

# The reference of the message just sent, for the thank-you page that follows the redirect.
REFERENCE_SESSION_KEY = "enquiry_reference"


class EnquiryFormView(FormView):
    """Shared by the service form and the general one: spam checks, store, then email."""

    form_class = EnquiryForm
    template_name = "enquiries/enquiry_form.html"
    service = None

    def post(self, request, *args, **kwargs):
        if rate_limit_hit(request, scope="enquiry"):
            return render(
                request,
                "enquiries/rate_limited.html",
                {"window_minutes": settings.ENQUIRY_RATE_WINDOW_SECONDS // 60},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.is_spam:  # a robot gets the same thank-you page and a reference, and nothing is stored
            reference = new_reference()
        else:
            data = form.cleaned_data
            enquiry = enquiry_create(
                service=self.service,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                message=data["message"],
            )
            notices_send(notices=enquiry.notices.all(), stop_at_first_failure=True)
            reference = enquiry.reference
        self.request.session[REFERENCE_SESSION_KEY] = reference
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            service=self.service,
            reader=message_reader(self.service),
            retention_days=settings.ENQUIRY_RETENTION_DAYS,
            reply_days=settings.ENQUIRY_REPLY_DAYS,
            **kwargs,
        )


class ServiceEnquiryView(EnquiryFormView):
    """Every published service that has not ended takes a message (readers.py says who reads it)."""

    def dispatch(self, request, *args, **kwargs):
        self.service = get_object_or_404(
            Service.objects.published().current().select_related("organisation"), slug=kwargs["slug"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("enquiries:service_enquiry_sent", args=[self.service.slug])


class GeneralEnquiryView(EnquiryFormView):
    def get_success_url(self):
        return reverse("enquiries:contact_sent")


class EnquirySentView(TemplateView):
    """Thanks, with the message's reference, who reads it and when to expect a reply."""

    template_name = "enquiries/enquiry_sent.html"

    def get_context_data(self, **kwargs):
        service = None
        if "slug" in self.kwargs:
            service = get_object_or_404(
                Service.objects.published().select_related("organisation"), slug=self.kwargs["slug"]
            )
        return super().get_context_data(
            service=service,
            reader=message_reader(service),
            reference=self.request.session.get(REFERENCE_SESSION_KEY, ""),
            reply_days=settings.ENQUIRY_REPLY_DAYS,
            **kwargs,
        )


class ManageEnquiryListView(LoginRequiredMixin, ListView):
    template_name = "enquiries/manage_list.html"
    context_object_name = "enquiries"
    paginate_by = 50

    def get_queryset(self):
        enquiries = Enquiry.objects.visible_to(self.request.user).select_related("service__organisation")
        status = self.request.GET.get("status")
        return enquiries.filter(status=status) if status in EnquiryStatus.values else enquiries

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=EnquiryStatus.choices,
            current_status=self.request.GET.get("status", ""),
            retention_days=settings.ENQUIRY_RETENTION_DAYS,
            **kwargs,
        )


class ManageEnquiryDetailView(LoginRequiredMixin, UpdateView):
    """One enquiry, reached only through the editor's own organisations: anyone else gets a 404."""

    template_name = "enquiries/manage_detail.html"
    form_class = EnquiryStatusForm
    context_object_name = "enquiry"

    def get_queryset(self):
        return Enquiry.objects.visible_to(self.request.user).select_related("service__organisation")

    def form_valid(self, form):
        enquiry_update(
            enquiry=self.object,
            status=form.cleaned_data["status"],
            private_note=form.cleaned_data["private_note"],
            actor=self.request.user,
        )
        messages.success(self.request, "Enquiry updated.")
        return redirect("enquiries:manage_detail", pk=self.object.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(retention_days=settings.ENQUIRY_RETENTION_DAYS, **kwargs)
