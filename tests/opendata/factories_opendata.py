"""A small published directory for the API tests: services with places, hours, needs and audiences."""

import datetime

from initiatives.publishing import PublicationState
from tests.factories import (
    AudienceFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    ScheduleFactory,
    ServiceFactory,
)


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
