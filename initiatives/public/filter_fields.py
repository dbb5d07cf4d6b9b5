"""Form fields for the where, when and who filters of the service search, and the rules between them."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from initiatives.caching import cached
from initiatives.geo import Point
from initiatives.models import Weekday
from initiatives.postcodes import Postcode, postcode_point

MAX_AGE = 120
DISTANCE_CHOICES = [
    (str(miles), f"Within {miles} {'mile' if miles == 1 else 'miles'}") for miles in (1, 2, 3, 5, 10)
]
# /services/?day=tuesday reads better in a shared link than day=1.
DAY_CHOICES = [(day.label.lower(), day.label) for day in Weekday]
WEEKDAY_OF = {day.label.lower(): day.value for day in Weekday}
SORT_BY_DISTANCE = "distance"


@dataclass(frozen=True)
class Located:
    """A postcode typed by a resident, and where it is."""

    postcode: Postcode
    point: Point

    def __str__(self):
        return str(self.postcode)


class PostcodeField(forms.CharField):
    """A postcode in the area we cover, cleaned into a Located; the messages say what to fix."""

    def __init__(self, **kwargs):
        super().__init__(max_length=20, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        return Located(*postcode_point(text))


class AgeField(forms.IntegerField):
    def __init__(self, **kwargs):
        message = f"Enter an age in whole years, from 0 to {MAX_AGE}, like 42."
        kwargs.setdefault("error_messages", {"invalid": message, "min_value": message, "max_value": message})
        super().__init__(min_value=0, max_value=MAX_AGE, **kwargs)


class VocabularyChoiceField(forms.ModelMultipleChoiceField):
    """Needs or audiences, checked against the whole vocabulary kept in the directory's cache
    (caching.py) rather than by a query per search: a few dozen terms that only staff change.
    The cleaned value is a list of the terms chosen, in the vocabulary's order."""

    def _check_values(self, value):
        field = self.to_field_name or "pk"
        vocabulary = f"vocabulary:{self.queryset.model._meta.label_lower}:{field}"
        terms = cached(vocabulary, lambda: {str(getattr(term, field)): term for term in self.queryset})
        chosen = {str(key) for key in value}
        if unknown := sorted(chosen - terms.keys()):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": unknown[0]}
            )
        return [term for key, term in terms.items() if key in chosen]


class VocabularyFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = VocabularyChoiceField


class PostcodeFilter(django_filters.Filter):
    field_class = PostcodeField


class AgeFilter(django_filters.Filter):
    field_class = AgeField


class ServiceFilterForm(forms.Form):
    """The search form: a distance and a sort by distance both need a postcode to measure from."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("postcode") or "postcode" in self.errors:
            return cleaned
        if cleaned.get("distance"):
            self.add_error("distance", "Enter your postcode to see services within a distance of it.")
        if cleaned.get("sort") == SORT_BY_DISTANCE:
            self.add_error("sort", "Enter your postcode to sort services by distance.")
        return cleaned
