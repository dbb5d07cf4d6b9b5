"""The manage area's forms, built from the listing specs so every editable field appears once.

Choices of related rows are limited to what the organisation may use (`choices_for`), so a
posted id of another organisation's place is refused like any invalid choice.
"""

from functools import cache

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from initiatives.models import Weekday

from .snapshots import ChildSpec, ListingSpec, choices_for

MAX_OPENING_TIMES = 28


def _formfield(model_field: models.Field, **kwargs):
    """Plain, accessible widgets: checkboxes for many choices, the browser's date and time pickers."""
    if model_field.many_to_many:
        kwargs["widget"] = forms.CheckboxSelectMultiple
    elif isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    elif isinstance(model_field, models.TimeField):
        kwargs["widget"] = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    elif isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    elif isinstance(model_field, models.TextField):
        kwargs["widget"] = forms.Textarea(attrs={"rows": 5})
    return model_field.formfield(**kwargs)


# The models' check constraints in plain words, shown beside the field a person should change.
CONSTRAINT_MESSAGES = {
    "service_age_range_ordered": (
        "maximum_age",
        "The oldest age must be the same as or more than the youngest.",
    ),
    "service_dates_ordered": ("ends_on", "The end date must be the same as or after the start date."),
    "schedule_closes_after_opening": (
        "closes_at",
        "The closing time must be after the opening time. For midnight, use 00:00.",
    ),
}


class ManageFormMixin:
    """Limit every relation's choices to those the organisation may use; explain broken rules plainly."""

    def limit_choices(self, organisation) -> None:
        for name, form_field in self.fields.items():
            if isinstance(form_field, forms.ModelChoiceField):
                form_field.queryset = choices_for(self._meta.model._meta.get_field(name), organisation)
                if not form_field.queryset.exists():
                    form_field.help_text = (
                        "There are none to choose from yet. Ask the directory staff to add one."
                    )

    def _update_errors(self, errors):
        """Move a broken check constraint's generic message to its field, in plain words."""
        if hasattr(errors, "error_dict") and NON_FIELD_ERRORS in errors.error_dict:
            constraint_names = {
                constraint.get_violation_error_message(): constraint.name
                for constraint in self._meta.model._meta.constraints
            }
            kept = []
            for error in errors.error_dict.pop(NON_FIELD_ERRORS):
                field_name, message = CONSTRAINT_MESSAGES.get(
                    constraint_names.get(error.message), (None, None)
                )
                if field_name in self.fields:
                    errors.error_dict.setdefault(field_name, []).append(ValidationError(message))
                else:
                    kept.append(error)
            if kept:
                errors.error_dict[NON_FIELD_ERRORS] = kept
        super()._update_errors(errors)


class ListingForm(ManageFormMixin, forms.ModelForm):
    """An editor's version of a listing. Never saved directly: it becomes a revision."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label="Message for the reviewer",
        help_text="For example, why the details changed. Only the directory's staff see this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(organisation)


@cache
def listing_form_class(spec: ListingSpec) -> type[ListingForm]:
    return forms.modelform_factory(
        spec.model, form=ListingForm, fields=spec.fields, formfield_callback=_formfield
    )


class ChildRowForm(ManageFormMixin, forms.ModelForm):
    """One row of a child set (an opening time), validated by the model's own rules, never saved."""

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(organisation)
        weekday = self.fields.get("weekday")
        if weekday is not None:
            # An empty first choice, so an untouched spare row is left out rather than refused.
            weekday.widget.choices = [("", "Choose a day"), *Weekday.choices]


class ChildFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this one"


@cache
def child_formset_class(child: ChildSpec):
    row_form = forms.modelform_factory(
        child.model, form=ChildRowForm, fields=child.fields, formfield_callback=_formfield
    )
    return forms.formset_factory(
        row_form, formset=ChildFormSet, extra=2, can_delete=True, max_num=MAX_OPENING_TIMES, validate_max=True
    )


def listing_forms(
    spec: ListingSpec, *, listing, organisation, data=None, files=None, initial=None, children=None
):
    """The listing form and its child formsets, bound to a POST or filled from `initial`."""
    form = listing_form_class(spec)(data, files, instance=listing, initial=initial, organisation=organisation)
    formsets = {
        child.name: child_formset_class(child)(
            data,
            initial=(children or {}).get(child.name),
            prefix=child.name,
            form_kwargs={"organisation": organisation},
        )
        for child in spec.children
    }
    return form, formsets


def listing_forms_valid(form, formsets: dict) -> bool:
    return all([form.is_valid(), *(formset.is_valid() for formset in formsets.values())])


class DecisionForm(forms.Form):
    """Staff's decision on a revision, with the reason the editor is sent."""

    reason = forms.CharField(
        label="Reason or note for the editor",
        help_text="Required when you do not approve the change; the editor is emailed it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
