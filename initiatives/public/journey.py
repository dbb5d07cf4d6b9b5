"""The guided journey: what you need, then (optionally) about you, then the matching services.

Every step is a GET form, so each page has an address that can be bookmarked, shared or
gone back to, and nothing needs JavaScript. A step's form comes back to its own address
with `answered=yes`; once the answers are valid the step redirects to the next one, carrying
every answer so far in the query string. The answers are checked by the same ServiceFilter
as the results page, so both pages say the same thing about the same mistake.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from initiatives.models import Audience, DeliveryMode, Need

from .filters import ServiceFilter

NEED_FIELDS = ("need",)
ABOUT_YOU_FIELDS = ("age", "audience", "mode", "postcode")
NO_NEED_CHOSEN = "Choose at least one thing you need help with."


class JourneyStepView(TemplateView):
    fields: tuple[str, ...] = ()  # the answers this step asks for
    carried: tuple[str, ...] = ()  # answers from earlier steps, kept in hidden inputs

    def get(self, request, *args, **kwargs):
        form = ServiceFilter(data=request.GET).form
        form.is_valid()
        answered = request.GET.get("answered") == "yes"
        if answered:
            self.check_answers(form)
            if not self.step_errors(form):
                return redirect(self.next_url(form))
        context = self.get_context_data(form=form, answered=answered, **kwargs)
        status = 400 if answered else 200
        return self.render_to_response(context, status=status)

    def check_answers(self, form) -> None:
        """Add errors the results page would not make (it is happy with no need at all)."""

    def step_errors(self, form) -> dict:
        return {name: errors for name, errors in form.errors.items() if name in self.fields + self.carried}

    def answers(self, form, names) -> list[tuple[str, str]]:
        """The valid answers to these questions, as query-string pairs, in a tidy form."""
        pairs = []
        for name in names:
            value = form.cleaned_data.get(name)
            if name in ("need", "audience"):
                pairs += [(name, item.slug) for item in value or []]
            elif name == "mode":
                pairs += [(name, mode) for mode in value or []]
            elif value not in (None, ""):
                pairs.append((name, str(value)))
        return pairs

    def next_url(self, form) -> str:
        raise NotImplementedError

    def get_context_data(self, *, form, answered, **kwargs):
        return super().get_context_data(
            form=form,
            # Only a submitted step shows errors; the others it checked stay quiet until then.
            error_form=_ErrorsOnly(form, self.fields + self.carried) if answered else None,
            carried=self.answers(form, self.carried),
            **kwargs,
        )


class NeedStepView(JourneyStepView):
    template_name = "initiatives/find_needs.html"
    fields = NEED_FIELDS

    def check_answers(self, form):
        if "need" not in form.errors and not form.cleaned_data.get("need"):
            form.add_error("need", NO_NEED_CHOSEN)

    def next_url(self, form):
        return f"{reverse('initiatives:find_about_you')}?{urlencode(self.answers(form, NEED_FIELDS))}"

    def get_context_data(self, **kwargs):
        chosen = set(self.request.GET.getlist("need"))
        return super().get_context_data(
            needs=Need.objects.top_level().prefetch_related("children"), chosen=chosen, **kwargs
        )


class AboutYouStepView(JourneyStepView):
    template_name = "initiatives/find_about_you.html"
    fields = ABOUT_YOU_FIELDS
    carried = NEED_FIELDS

    def get(self, request, *args, **kwargs):
        # Arrived without a valid answer to step 1: go back there, which says what is wrong.
        if not request.GET.getlist("need") or "need" in ServiceFilter(data=request.GET).form.errors:
            needs = urlencode(
                [("need", need) for need in request.GET.getlist("need")] + [("answered", "yes")]
            )
            return redirect(f"{reverse('initiatives:find_needs')}?{needs}")
        return super().get(request, *args, **kwargs)

    def next_url(self, form):
        return results_url(self.answers(form, NEED_FIELDS + ABOUT_YOU_FIELDS))

    def get_context_data(self, **kwargs):
        query = self.request.GET
        needs = self.answers(kwargs["form"], NEED_FIELDS)
        return super().get_context_data(
            audiences=Audience.objects.only("name", "slug"),
            modes=DeliveryMode.choices,
            chosen_audiences=set(query.getlist("audience")),
            chosen_modes=set(query.getlist("mode")),
            back_url=f"{reverse('initiatives:find_needs')}?{urlencode(needs)}",
            skip_url=results_url(needs),
            **kwargs,
        )


def results_url(pairs) -> str:
    return f"{reverse('initiatives:service_list')}?{urlencode(pairs)}"


class _ErrorsOnly:
    """A form seen through the error summary: only the errors of the named fields."""

    def __init__(self, form, names):
        self._form, self._names = form, names

    @property
    def errors(self):
        return {name: errors for name, errors in self._form.errors.items() if name in self._names}

    def __iter__(self):
        return (field for field in self._form if field.name in self._names)

    def non_field_errors(self):
        return []
