"""Factories for test data: clearly fake, never part of the demo."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from indicators.choices import AreaKind, Polarity, ValueType
from indicators.models import Area, DataPoint, Indicator, IndicatorNeed, IndicatorService, Source
from initiatives.models import Audience, Location, Need, Organisation, Schedule, Service
from initiatives.publishing import PublicationState


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.test")
    password = factory.django.Password("test-password-123")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


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


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    weekday = 0
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(17, 0)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    publisher = "Test Statistics Office"
    title = factory.Sequence(lambda n: f"Test release {n}")
    published_label = "January 2025"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

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

    indicator = factory.SubFactory(IndicatorFactory)
    area = factory.SubFactory(AreaFactory)
    period_label = "2024"
    period_start = datetime.date(2024, 1, 1)
    period_end = datetime.date(2024, 12, 31)
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
