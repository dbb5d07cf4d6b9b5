"""The manage area's forms, built from the listing specs so every editable field appears once.

Choices of related rows are limited to what the organisation may use (`choices_for`), so a
posted id of another organisation's place is refused like any invalid choice. Each set of
choices is read once per page (`Choices`), however many rows offer it.
"""

import datetime
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from initiatives.constraint_messages import in_plain_words
from initiatives.models import DatedSession, Location, Weekday
from initiatives.opening_times import MIDNIGHT
from initiatives.postcodes import parse_postcode

from .snapshots import ChildSpec, ListingSpec, choices_for

MAX_ROWS = 50  # of any one set, such as opening times: far more than any listing needs
WORKING_DAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)
NO_PLACES_YET = "You have no places listed yet. Add one under “New places”."


class ListedChoiceField(forms.ModelChoiceField):
    """A choice among rows read once for the page (see Choices): many rows cost one query."""

    listed: dict[str, models.Model] | None = None

    def use(self, listed: dict[str, models.Model]) -> None:
        self.listed = listed
        empty = [("", self.empty_label)] if self.empty_label is not None else []
        self.choices = [*empty, *((pk, str(obj)) for pk, obj in listed.items())]

    def to_python(self, value):
        if self.listed is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        if str(value) not in self.listed:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return self.listed[str(value)]


class Choices:
    """The rows an organisation's editor may choose for each relation, read once per page."""

    def __init__(self, organisation):
        self.organisation = organisation
        self._read: dict[type, dict[str, models.Model]] = {}

    def listed(self, model_field: models.Field) -> dict[str, models.Model]:
        model = model_field.related_model
        if model not in self._read:
            queryset = choices_for(model_field, self.organisation)
            self._read[model] = {str(obj.pk): obj for obj in queryset}
        return self._read[model]


def _formfield(model_field: models.Field, **kwargs):
    """Plain, accessible widgets: checkboxes for many choices, the browser's date and time pickers."""
    if model_field.many_to_many:
        kwargs["widget"] = forms.CheckboxSelectMultiple
    elif model_field.is_relation:
        kwargs["form_class"] = ListedChoiceField
    elif isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    elif isinstance(model_field, models.TimeField):
        kwargs["widget"] = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    elif isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    elif isinstance(model_field, models.TextField):
        kwargs["widget"] = forms.Textarea(attrs={"rows": 5})
    return model_field.formfield(**kwargs)


class ManageFormMixin:
    """Limit every relation's choices to those the organisation may use; explain broken rules plainly."""

    def limit_choices(self, choices: Choices) -> None:
        for name, form_field in self.fields.items():
            if not isinstance(form_field, forms.ModelChoiceField):
                continue
            model_field = self._meta.model._meta.get_field(name)
            listed = choices.listed(model_field)
            if isinstance(form_field, ListedChoiceField):
                form_field.use(listed)
            else:  # many choices: checked against the organisation's choices in one query when sent
                form_field.queryset = choices_for(model_field, choices.organisation)
                form_field.choices = [(pk, str(obj)) for pk, obj in listed.items()]
            if not listed:
                form_field.help_text = (
                    NO_PLACES_YET
                    if model_field.related_model is Location
                    else "There are none to choose from yet. Ask the directory staff to add one."
                )

    def _update_errors(self, errors):
        """Move a broken check constraint's generic message to its field, in plain words."""
        if hasattr(errors, "error_dict"):
            errors.error_dict = in_plain_words(self._meta.model, errors.error_dict, self.fields)
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

    def __init__(self, *args, choices: Choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(choices)


@cache
def listing_form_class(spec: ListingSpec) -> type[ListingForm]:
    return forms.modelform_factory(
        spec.model,
        form=ListingForm,
        fields=spec.fields,
        formfield_callback=_formfield,
        labels={name: spec.label(name) for name in spec.fields},
    )


class ChildRowForm(ManageFormMixin, forms.ModelForm):
    """One row of a set (a charge, a contact), validated by the model's own rules, never saved."""

    def __init__(self, *args, choices: Choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(choices)
        _drop_empty_place_choice(self)

    def row(self) -> dict:
        """The row's values by model field name, as the listing's snapshot holds them."""
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}


def _drop_empty_place_choice(form) -> None:
    """An organisation with no places yet is not offered an empty place list on every row."""
    for name, form_field in list(form.fields.items()):
        if isinstance(form_field, ListedChoiceField) and not form_field.listed:
            del form.fields[name]


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _closing_error(opens, closes) -> str | None:
    if opens and closes and closes <= opens and closes != MIDNIGHT:
        return "The closing time must be after the opening time. For midnight, use 00:00."
    return None


class OpeningTimeRowForm(ChildRowForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An empty first choice, so an untouched spare row is left out rather than refused.
        self.fields["weekday"].widget.choices = [("", "Choose a day"), *Weekday.choices]
        self.fields["weekday"].label = "Day"
        self.fields["closes_at"].help_text = ""  # said once, above the rows


class SameHoursForm(forms.Form):
    """The same opening hours every weekday, Monday to Friday, filled in once."""

    opens_at = forms.TimeField(label="Opens", required=False, widget=_time_input())
    closes_at = forms.TimeField(label="Closes", required=False, widget=_time_input())
    location = ListedChoiceField(
        queryset=Location.objects.none(), label="Place", required=False, empty_label="Any of its places"
    )

    def __init__(self, *args, choices: Choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].use(choices.listed(DatedSession._meta.get_field("location")))
        _drop_empty_place_choice(self)

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if bool(opens) != bool(closes) and not self.has_error("opens_at") and not self.has_error("closes_at"):
            missing = "closes_at" if opens else "opens_at"
            self.add_error(missing, "Enter both times, or leave both empty.")
        elif error := _closing_error(opens, closes):
            self.add_error("closes_at", error)
        return cleaned

    def rows(self) -> list[dict]:
        opens, closes = self.cleaned_data.get("opens_at"), self.cleaned_data.get("closes_at")
        if not (opens and closes):
            return []
        place = self.cleaned_data.get("location")
        return [
            {"weekday": day, "opens_at": opens, "closes_at": closes, "location": place, "note": ""}
            for day in WORKING_DAYS
        ]


class SessionRowForm(ChildRowForm):
    """A session on one date: the date and its start and end times, kept as two moments."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts = forms.TimeField(label="Starts", widget=_time_input())
    ends = forms.TimeField(label="Ends", widget=_time_input())
    field_order = ["date", "starts", "ends", "location", "title"]

    class Meta:
        model = DatedSession
        fields = ("location", "title")
        labels = {"title": "What it is", "location": "Place"}
        help_texts = {"title": "For example “Job fair” or “Bring your CV”."}

    def __init__(self, *args, initial=None, **kwargs):
        initial = dict(initial or {})
        if starts_at := initial.pop("starts_at", None):
            starts_at, ends_at = timezone.localtime(starts_at), timezone.localtime(initial.pop("ends_at"))
            initial.update(date=starts_at.date(), starts=starts_at.time(), ends=ends_at.time())
        super().__init__(*args, initial=initial, **kwargs)

    def clean(self):
        cleaned = super().clean()
        day, starts, ends = (cleaned.get(name) for name in ("date", "starts", "ends"))
        if day and starts and ends:
            if error := _closing_error(starts, ends):
                self.add_error("ends", error.replace("closing", "end").replace("opening", "start"))
            else:
                ends_on = day + datetime.timedelta(days=1) if ends == MIDNIGHT else day
                cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, starts))
                cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(ends_on, ends))
        return cleaned

    def row(self) -> dict:
        return {
            **super().row(),
            "starts_at": self.cleaned_data["starts_at"],
            "ends_at": self.cleaned_data["ends_at"],
        }


class NewPlaceRowForm(ChildRowForm):
    class Meta:
        model = Location
        fields = ("name", "address", "town", "postcode", "accessibility")
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"name": "Name of the place", "address": "Address", "accessibility": "Access"}
        help_texts = {
            "address": "The building and street, one part on each line.",
            "accessibility": "For example step-free entrance, accessible toilet, hearing loop.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].required = True

    def clean_postcode(self):
        postcode = parse_postcode(self.cleaned_data["postcode"])
        if not postcode.unit:
            raise ValidationError("Enter the whole postcode, like MK9 3XS.")
        return str(postcode)


class ChildFormSet(forms.BaseFormSet):
    def __init__(self, *args, extra: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if extra is not None:
            self.extra = extra

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this one"

    def rows(self) -> list[dict]:
        """The rows the editor kept: filled in and not marked for removal."""
        return [
            form.row() for form in self.forms if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]

    def raw_rows(self) -> list[dict]:
        """The rows as typed, unchecked, to fill in a new form with more spare rows."""
        return [
            {name: form[name].value() for name in form.fields if name != "DELETE"}
            for form in self.forms
            if form.has_changed() and not form["DELETE"].value()
        ]


class OpeningTimesFormSet(ChildFormSet):
    """Opening times with a "same hours Monday to Friday" shortcut; no two may overlap."""

    def __init__(self, *args, form_kwargs=None, **kwargs):
        super().__init__(*args, form_kwargs=form_kwargs, **kwargs)
        self.same_hours = SameHoursForm(
            self.data or None, prefix=f"{self.prefix}-weekdays", choices=form_kwargs["choices"]
        )

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.same_hours.is_valid()])

    def total_error_count(self) -> int:
        return super().total_error_count() + len(self.same_hours.errors)

    def clean(self):
        if any(self.errors) or not self.same_hours.is_valid():
            return
        taken: dict[tuple, list[dict]] = {}
        for row in self.rows():
            place = row["location"].pk if row["location"] else None
            for other in taken.setdefault((row["weekday"], place), []):
                if _overlap(row, other):
                    raise ValidationError(
                        f"{_hours(other)} and {_hours(row)} overlap. Change or remove one of them."
                    )
            taken[(row["weekday"], place)].append(row)

    def raw_rows(self) -> list[dict]:
        typed = {name: self.same_hours[name].value() for name in self.same_hours.fields}
        if not (typed["opens_at"] and typed["closes_at"]):
            return super().raw_rows()
        return [{**typed, "weekday": day, "note": ""} for day in WORKING_DAYS] + super().raw_rows()

    def rows(self) -> list[dict]:
        rows = [*self.same_hours.rows(), *super().rows()]
        # The shortcut and a row may give the same hours: once is enough.
        return list({_row_key(row): row for row in rows}.values())


def _row_key(row: dict) -> tuple:
    return tuple(getattr(value, "pk", value) for value in row.values())


def _minutes(moment: datetime.time, *, closing: bool = False) -> int:
    return 24 * 60 if closing and moment == MIDNIGHT else moment.hour * 60 + moment.minute


def _overlap(one: dict, other: dict) -> bool:
    return _minutes(one["opens_at"]) < _minutes(other["closes_at"], closing=True) and _minutes(
        other["opens_at"]
    ) < _minutes(one["closes_at"], closing=True)


def _hours(row: dict) -> str:
    closes = "midnight" if row["closes_at"] == MIDNIGHT else f"{row['closes_at']:%H:%M}"
    return f"{Weekday(row['weekday']).label} {row['opens_at']:%H:%M}–{closes}"


class ChargeRowForm(ChildRowForm):
    class Meta:
        labels = {"description": "What it is for", "concessions": "Lower prices"}
        help_texts = {"description": "For example “Six-week course” or “Each session”."}


ROW_FORMS = {
    "cost_options": ChargeRowForm,
    "schedules": OpeningTimeRowForm,
    "sessions": SessionRowForm,
    "new_places": NewPlaceRowForm,
}
FORMSETS = {"schedules": OpeningTimesFormSet}
SPARE_ROWS = {"schedules": 7}  # a whole week of differing hours in one go


@cache
def child_formset_class(child: ChildSpec):
    base = ROW_FORMS.get(child.name, ChildRowForm)
    row_form = forms.modelform_factory(
        child.model, form=base, fields=base._meta.fields or child.fields, formfield_callback=_formfield
    )
    return forms.formset_factory(
        row_form,
        formset=FORMSETS.get(child.name, ChildFormSet),
        extra=SPARE_ROWS.get(child.name, 1),
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
    )


def listing_forms(
    spec: ListingSpec,
    *,
    listing,
    organisation,
    data=None,
    files=None,
    initial=None,
    children=None,
    more_rows: str = "",
):
    """The listing form and its child formsets, bound to a POST or filled from `initial`.

    `more_rows` names a set to offer more spare rows in, for an editor who asked for them.
    """
    choices = Choices(organisation)
    form = listing_form_class(spec)(data, files, instance=listing, initial=initial, choices=choices)
    formsets = {}
    for child in spec.children:
        formset_class = child_formset_class(child)
        formsets[child.name] = formset_class(
            data,
            initial=(children or {}).get(child.name),
            prefix=child.name,
            form_kwargs={"choices": choices},
            extra=formset_class.extra + SPARE_ROWS.get(child.name, 3) if more_rows == child.name else None,
        )
    return form, formsets


def listing_forms_valid(form, formsets: dict) -> bool:
    return all([form.is_valid(), *(formset.is_valid() for formset in formsets.values())])


def as_initial(form, formsets: dict) -> tuple[dict, dict[str, list[dict]]]:
    """What a bound form and its formsets hold, as initial values for new unbound ones.

    Used to add spare rows without checking, or complaining about, a half-filled form.
    """
    initial = {name: form[name].value() for name in form.fields}
    return initial, {name: formset.raw_rows() for name, formset in formsets.items()}


class ApproveSelectedForm(forms.Form):
    """The changes a member of staff ticked on the work-to-do page to approve together."""

    revisions = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": "Choose at least one change to approve",
            "invalid_choice": "One of the changes you chose no longer exists. Choose again from the list",
            "invalid_pk_value": "Choose changes from the list",
        },
    )

    def __init__(self, *args, revisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revisions"].queryset = revisions


class DecisionForm(forms.Form):
    """Staff's decision on a revision, with the reason the editor is sent."""

    reason = forms.CharField(
        label="Reason or note for the editor",
        help_text="Required when you do not approve the change; the editor is emailed it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
