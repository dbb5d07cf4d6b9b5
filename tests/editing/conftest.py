"""Two organisations, A and B, each with a service, a place, an editor and a change waiting for review."""

import pytest

from initiatives.models import MembershipRole
from tests.factories import (
    LocationFactory,
    OrganisationFactory,
    RevisionFactory,
    ServiceFactory,
    editor_of,
)


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Alpha Aid", slug="alpha-aid")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Beta Trust", slug="beta-trust")


@pytest.fixture
def service_a(org_a):
    return ServiceFactory(organisation=org_a, name="Alpha job club", slug="alpha-job-club")


@pytest.fixture
def service_b(org_b):
    return ServiceFactory(organisation=org_b, name="Beta food bank", slug="beta-food-bank")


@pytest.fixture
def place_b(org_b):
    return LocationFactory(organisation=org_b, name="Beta Hall")


@pytest.fixture
def manager_a(org_a):
    return editor_of(org_a, role=MembershipRole.MANAGER, username="manager-a", first_name="Ann")


@pytest.fixture
def editor_a(org_a):
    return editor_of(org_a, username="editor-a", first_name="Ed")


@pytest.fixture
def manager_b(org_b):
    return editor_of(org_b, role=MembershipRole.MANAGER, username="manager-b")


@pytest.fixture
def revision_b(service_b, manager_b):
    return RevisionFactory(
        service=service_b, author=manager_b, changes={"summary": "Beta's own new summary."}
    )


@pytest.fixture
def manager_client(client, manager_a):
    client.force_login(manager_a)
    return client
