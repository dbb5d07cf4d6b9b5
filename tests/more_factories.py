"""Factories for the models tests/factories.py leaves out, and shortcuts the page tests share."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from indicators.choices import AreaKind
from indicators.models import ContextFact
from initiatives.models import DatedSession
from initiatives.publishing import PublicationState
from tests.factories import AreaFactory, ServiceFactory, SourceFactory


class HomeAreaFactory(AreaFactory):
    name = "Milton Keynes"
    code = "E06000042"
    kind = AreaKind.LOCAL_AUTHORITY
    is_home = True


class DatedSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DatedSession

    service = factory.SubFactory(ServiceFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(hours=2))


class ContextFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContextFact

    title = factory.Sequence(lambda n: f"Test context fact {n}")
    slug = factory.Sequence(lambda n: f"test-context-fact-{n}")
    value = Decimal("800000")
    display_value = "about £800,000"
    source = factory.SubFactory(SourceFactory)
    publication_state = PublicationState.PUBLISHED
