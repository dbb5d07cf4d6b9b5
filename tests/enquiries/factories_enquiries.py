"""Factories for enquiries and for the editors who read them."""

import factory
from django.utils import timezone

from initiatives.enquiries.models import Enquiry, EnquiryStatus
from initiatives.models import OrganisationMembership
from tests.factories import OrganisationFactory, ServiceFactory, UserFactory


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    service = factory.SubFactory(ServiceFactory, accepts_enquiries=True)
    name = "Test Resident"
    email = "resident@example.test"
    message = "I would like help with my CV, please."
    consented_at = factory.LazyFunction(timezone.now)


class ClosedEnquiryFactory(EnquiryFactory):
    status = EnquiryStatus.CLOSED
    closed_at = factory.LazyFunction(timezone.now)
