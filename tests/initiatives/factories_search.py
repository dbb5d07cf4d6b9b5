"""Factories for the search's own records."""

import factory

from initiatives.search.models import Synonym, UnmatchedSearch


class SynonymFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Synonym

    terms = factory.Sequence(lambda n: f"test term {n}, other term {n}")


class UnmatchedSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnmatchedSearch

    words = factory.Sequence(lambda n: f"unknown words {n}")
