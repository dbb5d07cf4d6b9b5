"""My list: save services without an account, print them, share them by a link, an email or a text.

Saving, removing and clearing are POST forms (with CSRF), so they work without JavaScript;
each sends the resident back where they were, with a message that says what happened.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from initiatives.models import Service

from .shortlist import (
    MAX_SERVICES,
    Shortlist,
    ShortlistFull,
    share_by_email_url,
    share_by_text_url,
    share_url,
    shared_services,
)

MESSAGE_TAG = "shortlist"  # base.html shows these messages on every page


class ShortlistChangeForm(forms.Form):
    service = forms.IntegerField(min_value=1)
    next = forms.CharField(required=False, max_length=2000)
    # Sent by the forms around service cards: come back to the service's card on that page.
    to_card = forms.BooleanField(required=False)


class ShortlistChangeView(View):
    """A POST that changes the list, then goes back to the page it came from, at the service's card
    (`slug`, set by `change` when the service is public)."""

    http_method_names = ["post"]
    slug = ""

    def post(self, request):
        form = ShortlistChangeForm(request.POST)
        if not form.is_valid():
            return _bad_request(request, "We could not tell which service you meant.")
        response = self.change(Shortlist(request.session), form.cleaned_data["service"])
        if response:
            return response
        return self.back(form.cleaned_data["next"], at_card=form.cleaned_data["to_card"])

    def change(self, shortlist: Shortlist, service_id: int):
        raise NotImplementedError

    def back(self, target: str, *, at_card: bool):
        """Redirect to `target` (at the service's card if `at_card`) if it is a page of this site, else
        to the list."""
        request = self.request
        safe = url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        if not (safe and target):
            return redirect("initiatives:my_list")
        return redirect(f"{target}#service-{self.slug}" if at_card and self.slug else target)


class ShortlistAddView(ShortlistChangeView):
    def change(self, shortlist, service_id):
        service = Service.objects.published().filter(pk=service_id).only("pk", "name", "slug").first()
        if service is None:
            return _bad_request(self.request, "That service is not in the directory, so it cannot be saved.")
        self.slug = service.slug
        try:
            shortlist.add(service)
        except ShortlistFull:
            messages.warning(
                self.request,
                f"Your list is full: it holds up to {MAX_SERVICES} services. "
                f"Remove some to save “{service.name}”.",
                extra_tags=MESSAGE_TAG,
            )
        else:
            messages.success(self.request, f"“{service.name}” is saved in your list.", extra_tags=MESSAGE_TAG)
        return None


class ShortlistRemoveView(ShortlistChangeView):
    def change(self, shortlist, service_id):
        shortlist.remove(service_id)
        # Named only if the public may see it: ids run in sequence, so any id may be tried.
        public = Service.objects.published().filter(pk=service_id).values_list("name", "slug").first()
        name, self.slug = public or (None, "")
        removed = f"“{name}” is" if name else "That service is"
        messages.success(self.request, f"{removed} no longer in your list.", extra_tags=MESSAGE_TAG)
        return None


class ShortlistClearView(View):
    http_method_names = ["post"]

    def post(self, request):
        Shortlist(request.session).clear()
        messages.success(request, "Your list is now empty.", extra_tags=MESSAGE_TAG)
        return redirect("initiatives:my_list")


class MyListView(TemplateView):
    template_name = "initiatives/my_list.html"

    def get_context_data(self, **kwargs):
        services = list(Shortlist(self.request.session).services())
        link = settings.SITE_URL + share_url(services) if services else ""
        return super().get_context_data(
            services=services,
            share_url=link,
            share_by_email_url=share_by_email_url(link),
            share_by_text_url=share_by_text_url(link),
            max_services=MAX_SERVICES,
            **kwargs,
        )


class SharedListView(TemplateView):
    """Someone's list, opened from its link: read-only, the same for everyone."""

    template_name = "initiatives/shortlist_shared.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            services=list(shared_services(self.request.GET.getlist("s"))), **kwargs
        )


def _bad_request(request, message: str):
    return render(request, "initiatives/shortlist_error.html", {"message": message}, status=400)
