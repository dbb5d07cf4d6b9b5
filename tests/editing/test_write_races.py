"""Two people writing at the same moment: each keeps what they sent, and neither sees an error page.

The threaded tests need PostgreSQL: SQLite runs one write at a time, so writes there never overlap.
"""

import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from initiatives.editing import moderation
from initiatives.editing.models import RevisionKind
from initiatives.models import Service
from tests.editing.forms_helper import read_form
from tests.factories import ServiceFactory

NEW_SERVICE = "/manage/organisations/{}/services/new/"
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one write at a time, so two proposals can never race there.",
)


def _new_service_form(client, organisation) -> dict:
    form = read_form(client.get(NEW_SERVICE.format(organisation.slug)))
    form.set("name", "Men's shed").set("summary", "Make things together.").set("description", "Tools.")
    return form.as_post()


def _in_step(barrier: threading.Barrier):
    """`free_slug` that, on each thread's first call, waits until the other thread has chosen too.

    So both pick the same free address before either writes: the race the slug retry must survive.
    """
    real, chosen = moderation.free_slug, threading.local()

    def unique_slug(*args, **kwargs):
        slug = real(*args, **kwargs)
        if not getattr(chosen, "once", False):
            chosen.once = True
            barrier.wait(timeout=10)
        return slug

    return unique_slug


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_editors_proposing_the_same_name_at_once_both_keep_their_service(org_a, manager_a, editor_a):
    url = NEW_SERVICE.format(org_a.slug)
    clients = []
    for user in (manager_a, editor_a):
        client = Client()
        client.force_login(user)
        clients.append((client, _new_service_form(client, org_a)))
    responses = []

    def propose(client, post):
        try:
            responses.append(client.post(url, post))
        finally:
            connection.close()  # each thread has its own connection to the database

    with mock.patch.object(moderation, "free_slug", _in_step(threading.Barrier(2))):
        threads = [threading.Thread(target=propose, args=pair) for pair in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert [response.status_code for response in responses] == [302, 302]
    services = Service.objects.filter(name="Men's shed").order_by("slug")
    assert [service.slug for service in services] == ["mens-shed", "mens-shed-2"]
    assert {service.revisions.get().kind for service in services} == {RevisionKind.NEW}
    assert {service.revisions.get().author for service in services} == {manager_a, editor_a}


def test_an_address_taken_between_the_check_and_the_write_moves_on_to_the_next(manager_client, org_a):
    ServiceFactory(organisation=org_a, name="Men's shed", slug="mens-shed")
    real, beaten = moderation.free_slug, iter(["mens-shed"])  # the first check is already out of date

    def unique_slug(*args, **kwargs):
        return next(beaten, None) or real(*args, **kwargs)

    with mock.patch.object(moderation, "free_slug", unique_slug):
        response = manager_client.post(
            NEW_SERVICE.format(org_a.slug), _new_service_form(manager_client, org_a)
        )

    assert response.status_code == 302
    assert set(Service.objects.values_list("slug", flat=True)) == {"mens-shed", "mens-shed-2"}
