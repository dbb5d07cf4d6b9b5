"""Every factory and builder of test data, in one place: clearly fake, never part of the demo.

One factory per model; a variant of a model is a trait on its factory
(`UserFactory(staff=True)`, `AreaFactory(home=True)`, `EnquiryFactory(closed=True)`).
"""

import datetime
from decimal import Decimal

import factory
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from indicators.choices import AreaKind, Polarity, ValueType
from indicators.models import (
    Area,
    ContextFact,
    DataPoint,
    Indicator,
    IndicatorNeed,
    IndicatorService,
    Source,
)
from initiatives.editing.models import Revision
from initiatives.editing.snapshots import snapshot_of
from initiatives.enquiries.models import Enquiry, EnquiryStatus
from initiatives.feedback.models import ProblemReport
from initiatives.geo import MILES_PER_DEGREE, Point
from initiatives.models import (
    Audience,
    Contact,
    CostOption,
    DatedSession,
    Location,
    MembershipRole,
    Need,
    Organisation,
    OrganisationMembership,
    Schedule,
    Service,
    ServiceArea,
)
from initiatives.postcodes import sector_centroids
from initiatives.publishing import PublicationState
from initiatives.search.models import Synonym, UnmatchedSearch

# Core: organisations, services, places and schedules ----------------------------------------------


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    name = factory.Sequence(lambda n: f"Test need {n}")
    slug = factory.Sequence(lambda n: f"test-need-{n}")
    description = "A need made up for tests."


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience

    name = factory.Sequence(lambda n: f"Test audience {n}")
    slug = factory.Sequence(lambda n: f"test-audience-{n}")
    description = "An audience made up for tests."


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Example Organisation {n}")
    slug = factory.Sequence(lambda n: f"example-organisation-{n}")
    description = "An organisation made up for tests."
    publication_state = PublicationState.PUBLISHED


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Example Service {n}")
    slug = factory.Sequence(lambda n: f"example-service-{n}")
    summary = "A service made up for tests."
    description = "Longer description of a service made up for tests."
    publication_state = PublicationState.PUBLISHED
    in_person = True
    access_self_referral = True

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        if create and extracted:
            self.needs.set(extracted)

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create and extracted:
            self.audiences.set(extracted)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Test Hall {n}")
    postcode = "MK9 1AA"


class ContactFactory(factory.django.DjangoModelFactory):
    """A named person to ask for about a service."""

    class Meta:
        model = Contact

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")


class ScheduleFactory(factory.django.DjangoModelFactory):
    """Weekly hours: Mondays, 9:00 to 17:00, unless told otherwise."""

    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    weekday = 0
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(17, 0)


class DatedSessionFactory(factory.django.DjangoModelFactory):
    """A two-hour session a week from now, unless told otherwise."""

    class Meta:
        model = DatedSession

    service = factory.SubFactory(ServiceFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(hours=2))


# Places at known distances from Central Milton Keynes: the shipped centroid of the sector of MK9 3EP.
CENTRAL_MK = sector_centroids()["MK9 3"].point


def point_from(centre: Point, *, north: float = 0, east: float = 0) -> Point:
    """The point `north` and `east` miles from `centre` (negative for south and west)."""
    return Point(
        centre.latitude + north / MILES_PER_DEGREE,
        centre.longitude + east / (MILES_PER_DEGREE * centre.longitude_scale),
    )


def place(*, north: float = 0, east: float = 0, centre: Point = CENTRAL_MK, **fields) -> Location:
    """A saved Location that many miles north and east of `centre`."""
    point = point_from(centre, north=north, east=east)
    return LocationFactory(
        latitude=Decimal(f"{point.latitude:.6f}"), longitude=Decimal(f"{point.longitude:.6f}"), **fields
    )


def service_at(*places: Location, **fields) -> Service:
    """A published in-person service delivered at the given places."""
    service = ServiceFactory(**fields)
    service.locations.add(*places)
    return service


# Indicators: sources, areas, figures and context facts --------------------------------------------


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    publisher = "Test Statistics Office"
    title = factory.Sequence(lambda n: f"Test release {n}")
    published_label = "January 2025"


class AreaFactory(factory.django.DjangoModelFactory):
    """An area; `home=True` gives the directory's own, Milton Keynes (the same row each time)."""

    class Meta:
        model = Area
        django_get_or_create = ("code",)

    class Params:
        home = factory.Trait(
            name="Milton Keynes", code="E06000042", kind=AreaKind.LOCAL_AUTHORITY, is_home=True
        )

    name = factory.Sequence(lambda n: f"Test Area {n}")
    code = factory.Sequence(lambda n: f"X{n:08d}")
    kind = AreaKind.LOCAL_AUTHORITY


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    title = factory.Sequence(lambda n: f"Test indicator {n}")
    slug = factory.Sequence(lambda n: f"test-indicator-{n}")
    definition = "Something counted for tests."
    why_it_matters = "It matters only to tests."
    value_type = ValueType.PERCENTAGE
    unit = "%"
    decimal_places = 1
    polarity = Polarity.LOWER_IS_BETTER
    source = factory.SubFactory(SourceFactory)
    publication_state = PublicationState.PUBLISHED


class DataPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataPoint

    class Params:
        year = 2024  # a calendar year; for another kind of period give its label, start and end

    indicator = factory.SubFactory(IndicatorFactory)
    area = factory.SubFactory(AreaFactory)
    period_label = factory.LazyAttribute(lambda point: str(point.year))
    period_start = factory.LazyAttribute(lambda point: datetime.date(point.year, 1, 1))
    period_end = factory.LazyAttribute(lambda point: datetime.date(point.year, 12, 31))
    value = Decimal("4.5")


class IndicatorNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorNeed

    indicator = factory.SubFactory(IndicatorFactory)
    need = factory.SubFactory(NeedFactory)


class IndicatorServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorService

    indicator = factory.SubFactory(IndicatorFactory)
    service = factory.SubFactory(ServiceFactory)


class ContextFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContextFact

    title = factory.Sequence(lambda n: f"Test context fact {n}")
    slug = factory.Sequence(lambda n: f"test-context-fact-{n}")
    value = Decimal("800000")
    display_value = "about £800,000"
    source = factory.SubFactory(SourceFactory)
    publication_state = PublicationState.PUBLISHED


# Search: synonyms and the log of searches that found nothing --------------------------------------


class SynonymFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Synonym

    terms = factory.Sequence(lambda n: f"test term {n}, other term {n}")


class UnmatchedSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnmatchedSearch

    words = factory.Sequence(lambda n: f"unknown words {n}")


# Accounts and memberships: people, staff, and charity editors --------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up person with no rights; `staff=True` gives a staff superuser."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    class Params:
        staff = factory.Trait(is_staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.test")
    password = factory.django.Password("test-password-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A person's membership of an organisation: an editor, unless `role` says otherwise."""

    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


def editor_of(organisation, *, role=MembershipRole.EDITOR, **user_fields):
    """A charity editor (never staff) of `organisation`."""
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(**user_fields)).user


# Editing: proposed changes waiting for review ------------------------------------------------------


class RevisionFactory(factory.django.DjangoModelFactory):
    """A pending change to a service; pass `changes` to say what it changes."""

    class Meta:
        model = Revision
        exclude = ["changes"]

    service = factory.SubFactory(ServiceFactory)
    organisation = factory.SelfAttribute("service.organisation")
    author = factory.SubFactory(UserFactory)
    changes = factory.Dict({})
    base = factory.LazyAttribute(lambda revision: snapshot_of(revision.service))
    data = factory.LazyAttribute(lambda revision: {**revision.base, **revision.changes})


# Enquiries: residents' messages to a service --------------------------------------------------------


class EnquiryFactory(factory.django.DjangoModelFactory):
    """An open enquiry, given consent just now; `closed=True` gives one closed just now."""

    class Meta:
        model = Enquiry

    class Params:
        closed = factory.Trait(status=EnquiryStatus.CLOSED, closed_at=factory.LazyFunction(timezone.now))

    service = factory.SubFactory(ServiceFactory)
    name = "Test Resident"
    email = "resident@example.test"
    message = "I would like help with my CV, please."
    consented_at = factory.LazyFunction(timezone.now)


# Feedback: residents' reports of a problem with a listing --------------------------------------------


class ProblemReportFactory(factory.django.DjangoModelFactory):
    """A report about a service's page; for an organisation's own page pass `service=None` and it."""

    class Meta:
        model = ProblemReport

    service = factory.SubFactory(ServiceFactory)
    organisation = factory.SelfAttribute("service.organisation")
    text = "The phone number on this page no longer works."


# Open data: a small published directory for the API tests --------------------------------------------


def build_directory(extra_services: int = 0) -> dict:
    """Two organisations, four published services (one of them at a place), a draft, and vocabularies."""
    work = NeedFactory(name="Work", slug="work")
    digital = NeedFactory(name="Digital skills", slug="digital", parent=work)
    carers = AudienceFactory(name="Carers", slug="carers")
    first = OrganisationFactory(name="First Org")
    second = OrganisationFactory(name="Second Org")
    hall = LocationFactory(name="Central Hall", postcode="MK9 1AA", address="1 Test Street")
    services = {
        "digital": ServiceFactory(
            organisation=first, name="Digital drop-in", needs=[digital], minimum_age=16, maximum_age=25
        ),
        "jobs": ServiceFactory(organisation=first, name="Job club", needs=[work], audiences=[carers]),
        "advice": ServiceFactory(organisation=second, name="Advice line", minimum_age=18, maximum_age=99),
        "plain": ServiceFactory(organisation=second, name="Quiet service"),
    }
    services["digital"].locations.add(hall)
    ScheduleFactory(
        service=services["digital"], weekday=0, opens_at=datetime.time(9), closes_at=datetime.time(12)
    )
    ScheduleFactory(
        service=services["jobs"], weekday=2, opens_at=datetime.time(13), closes_at=datetime.time(17)
    )
    ServiceFactory(organisation=first, name="Draft digital", publication_state=PublicationState.DRAFT)
    directory = {
        "needs": {"work": work, "digital": digital},
        "carers": carers,
        "organisations": {"first": first, "second": second},
        "hall": hall,
        "services": services,
    }
    add_services(directory, extra_services)
    return directory


def add_services(directory: dict, count: int) -> None:
    """More published services, each with a need, an audience, a place and weekly hours."""
    for _ in range(count):
        extra = ServiceFactory(
            organisation=OrganisationFactory(),
            needs=[directory["needs"]["digital"]],
            audiences=[directory["carers"]],
        )
        extra.locations.add(directory["hall"])
        ScheduleFactory(service=extra)


def build_full_directory() -> dict:
    """build_directory(), plus a service with every optional field that reaches the API filled in:
    a parent organisation with its numbers and logo, two places with coordinates and access notes,
    weekly hours, a dated session, prices with and without an amount, contacts, languages."""
    directory = build_directory()
    parent = OrganisationFactory(name="Parent Trust")
    organisation = OrganisationFactory(
        name="Full Org",
        parent=parent,
        email="hello@full.example",
        website="https://full.example/",
        phone="01908 000000",
        charity_number="1234567",
        company_number="07654321",
        logo="logos/full.png",
    )
    places = [
        LocationFactory(
            name=name,
            organisation=organisation,
            address=f"{number} High Street\nBletchley",
            postcode="MK2 2AA",
            latitude=Decimal("51.995000"),
            longitude=Decimal(f"-0.73{number}000"),
            accessibility="Step-free entrance and a hearing loop.",
        )
        for number, name in [(1, "Bletchley Library"), (2, "Bletchley Centre")]
    ]
    service = ServiceFactory(
        organisation=organisation,
        name="Full service",
        needs=[directory["needs"]["digital"]],
        audiences=[directory["carers"]],
        email="service@full.example",
        website="https://full.example/service",
        phone="01908 000001",
        minimum_age=16,
        maximum_age=64,
        eligibility="Residents of Milton Keynes.",
        how_to_access="Drop in, or phone to book.",
        cost_description="Some sessions have a small charge.",
        languages="English, Polish",
        service_area=ServiceArea.BOROUGH,
        last_verified_on=datetime.date(2026, 1, 15),
    )
    service.locations.set(places)
    ScheduleFactory(service=service, weekday=1, note="Term time only")
    ScheduleFactory(service=service, weekday=3, location=places[1])
    DatedSessionFactory(service=service, title="Open day", location=places[0])
    CostOption.objects.create(
        service=service, description="Course", amount=Decimal("25.00"), concessions="£5 for students"
    )
    CostOption.objects.create(service=service, description="Materials, at cost")
    ContactFactory(
        service=service, name="Sam Taylor", role="Coordinator", email="sam@full.example", phone="07700 900000"
    )
    ContactFactory(service=service, name="Front desk")
    return {**directory, "full": service, "places": places}


# Every kind of publishable listing the admin manages: its factory, app label and model name.
PUBLISHABLE_LISTINGS = [
    pytest.param(OrganisationFactory, "initiatives", "organisation", id="organisation"),
    pytest.param(ServiceFactory, "initiatives", "service", id="service"),
    pytest.param(IndicatorFactory, "indicators", "indicator", id="indicator"),
    pytest.param(ContextFactFactory, "indicators", "contextfact", id="contextfact"),
]
