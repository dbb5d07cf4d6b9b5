"""The query parameters the API accepts, validated by type: anything else is a 400 with a message."""

import datetime
from typing import Literal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator, model_validator

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100  # larger pages are refused with a 400 rather than silently cut
# With minimal=true a service is just its id and date, and the standard asks for all in one call.
MAX_MINIMAL_PER_PAGE = 1000
MAX_PAGE = 100_000
DayCode = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class ListParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    per_page: int = Field(
        DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description=f"Records per page, at most {MAX_PER_PAGE}."
    )
    format: Literal["json", "ndjson"] = Field(
        "json",
        description="json: pages, as above. ndjson: every matching record, one JSON object per line, "
        "streamed without pages (page and per_page are then ignored).",
    )

    @field_validator("*", mode="before")
    @classmethod
    def no_nul_characters(cls, value):
        # A NUL character can never be part of a real value, and PostgreSQL refuses it in queries.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class SearchParams(ListParams):
    search: str | None = Field(
        None, max_length=200, description="Words that must all appear (in the name or description)."
    )
    modified_after: datetime.datetime | None = Field(
        None, description="Only records changed at or after this date and time (ISO 8601)."
    )

    @field_validator("modified_after")
    @classmethod
    def in_utc(cls, value):
        """Local time when no offset is given; in UTC either way, as PostgreSQL refuses offsets
        beyond ±15:59 that ISO 8601 allows (such as -21:19)."""
        if value is None:
            return None
        try:
            aware = timezone.make_aware(value) if timezone.is_naive(value) else value
            return aware.astimezone(datetime.UTC)
        except OverflowError:
            raise ValueError("is too far in the past or future") from None


class ServiceParams(SearchParams):
    taxonomy_term_id: UUID | None = Field(
        None, description="Only services tagged with this term (a need includes the needs below it)."
    )
    taxonomy_id: UUID | None = Field(None, description="Only services with any term from this taxonomy.")
    organization_id: UUID | None = Field(None, description="Only services of this organisation.")
    minimum_age: int | None = Field(
        None, ge=0, le=150, description="Only services whose minimum age is at least this."
    )
    maximum_age: int | None = Field(
        None, ge=0, le=150, description="Only services whose maximum age is at most this."
    )
    day: DayCode | None = Field(None, description="Only services open on this day (iCalendar day code).")
    start_time: datetime.time | None = Field(
        None, description="Only services whose weekly hours open at or after this time (HH:MM)."
    )
    end_time: datetime.time | None = Field(
        None, description="Only services whose weekly hours close at or before this time (HH:MM)."
    )
    postcode: str | None = Field(
        None, max_length=10, description="A Milton Keynes postcode: services near it (see proximity)."
    )
    proximity: int | None = Field(
        None, ge=1, le=100_000, description="Distance from the postcode, in metres; needs postcode."
    )

    @field_validator("start_time", "end_time")
    @classmethod
    def local_time_only(cls, value):
        # Opening hours are kept as Milton Keynes wall-clock times, which have no time zone.
        if value is not None and value.tzinfo is not None:
            raise ValueError("give a local time without a time zone, like 09:30")
        return value

    full: bool = Field(False, description="true: each service fully nested, as /services/{id} gives it.")

    @property
    def weekday(self) -> int | None:
        return DAY_CODES.index(self.day) if self.day else None


class ServiceListParams(ServiceParams):
    per_page: int = Field(
        DEFAULT_PER_PAGE,
        ge=1,
        le=MAX_MINIMAL_PER_PAGE,
        description=f"Records per page, at most {MAX_PER_PAGE} ({MAX_MINIMAL_PER_PAGE} with minimal=true).",
    )
    minimal: bool = Field(False, description="true: each service as just its id and last_modified.")

    @model_validator(mode="after")
    def small_pages_unless_minimal(self):
        if not self.minimal and self.per_page > MAX_PER_PAGE:
            raise ValueError(f"per_page: at most {MAX_PER_PAGE}, or {MAX_MINIMAL_PER_PAGE} with minimal=true")
        return self


class OrganizationParams(SearchParams):
    full: bool = Field(
        False, description="true: each organisation with its identifiers, phones and services."
    )
    full_service: bool = Field(False, description="true: as full, with each service fully nested.")


class OrganizationDetailParams(Schema):
    full_service: bool = Field(False, description="true: each of its services fully nested.")


class TaxonomyParams(ListParams):
    search: str | None = Field(
        None, max_length=200, description="Words that must all appear (in the name or description)."
    )


class TaxonomyTermParams(TaxonomyParams):
    taxonomy_id: UUID | None = Field(None, description="Only terms of this taxonomy.")
    parent_id: UUID | None = Field(None, description="Only the terms directly below this one.")
    top_only: bool = Field(False, description="true: only terms with no parent.")
