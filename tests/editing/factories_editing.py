"""Editors and their proposed changes, for the manage-area tests."""

import factory

from initiatives.editing.models import Revision
from initiatives.editing.snapshots import snapshot_of
from initiatives.models import MembershipRole
from tests.enquiries.factories_enquiries import MembershipFactory
from tests.factories import ServiceFactory, UserFactory


def editor_of(organisation, *, role=MembershipRole.EDITOR, **user_fields):
    """A charity editor (never staff) of `organisation`."""
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(**user_fields)).user


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
