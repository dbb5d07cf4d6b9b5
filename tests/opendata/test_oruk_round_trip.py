"""Our own Open Referral UK API, read by our importer into an empty directory, gives the same pages.

The directory (the demo, and a service with every optional field) is served by a live server;
`import_oruk --url` reads it whole; every organisation, service and place is then deleted, the feed
imported, and the drafts published. Needs and audiences stay: they are our taxonomy, which the
feed's terms are matched to, not listings the feed brings.

What Open Referral UK has no field for cannot come back: the service's kind, its access routes and
ways of taking part (ORUK has no such flags; the words of how to start do come back), its own
accessibility note and dates, and the date staff last checked it (an import must not claim we
did). Those are copied from the old records onto the imported ones before the second look, so
that everything else a resident reads is compared: each service's page from its name to who it is
for, and its further details. Photos and our indicators ("why this matters") are not compared.
"""

import io
import re

import pytest
from django.core.management import call_command

from initiatives.models import Location, Organisation, Service
from initiatives.opendata.oruk_import.reading import read_api
from initiatives.opendata.oruk_import.writing import feed_import
from initiatives.publishing import PublicationState
from tests.factories import build_full_directory
from tests.helpers.pages import get_page, sections, text_of

TODAY = "2026-03-04 12:00"  # a Wednesday in winter, so the demo's hours read the same both times
COMPARED = ["How to get help", "What it is", "Who it is for", "More about getting there and taking part"]
NOT_CARRIED = [
    "kind",
    "access_self_referral",
    "access_referral",
    "access_drop_in",
    "access_booking",
    "in_person",
    "by_phone",
    "online",
    "accessibility",
    "starts_on",
    "ends_on",
    "dates_note",
    "last_verified_on",
]


def _what_a_resident_reads(client, service: Service) -> dict:
    page = get_page(client, service.get_absolute_url())
    parts = sections(page)
    heading = page[: page.index("<h2")]
    read = {
        "name": text_of(re.search(r"<h1>(.*?)</h1>", heading, re.S).group(1)),
        "organisation": service.organisation.name,
        "summary": text_of(re.search(r'<p class="lead">(.*?)</p>', heading, re.S).group(1)),
        **{title: text_of(parts[title]) for title in COMPARED if title in parts},
    }
    return read


def _directory_pages(client) -> dict:
    return {service.name: _what_a_resident_reads(client, service) for service in Service.objects.published()}


def _empty_the_directory():
    Location.objects.all().delete()
    Service.objects.all().delete()
    Organisation.objects.all().delete()


def _publish_everything(not_carried: dict):
    """What staff do after reviewing the drafts; the fields ORUK cannot carry are put back."""
    for organisation in Organisation.objects.all():
        organisation.publication_state = PublicationState.PUBLISHED
        organisation.save()
    for service in Service.objects.all():
        for name, value in not_carried[service.name].items():
            setattr(service, name, value)
        service.publication_state = PublicationState.PUBLISHED
        service.save()


DIRECTORIES = {
    "demo": lambda: call_command("load_demo", stdout=io.StringIO()),
    "every optional field": build_full_directory,
}


@pytest.mark.parametrize("directory", DIRECTORIES)
@pytest.mark.django_db(transaction=True)
def test_our_feed_imported_into_an_empty_directory_gives_the_same_pages(
    client, live_server, time_machine, directory
):
    time_machine.move_to(TODAY, tick=False)
    DIRECTORIES[directory]()
    before = _directory_pages(client)
    not_carried = {
        service["name"]: {name: service[name] for name in NOT_CARRIED}
        for service in Service.objects.values("name", *NOT_CARRIED)
    }

    feed = read_api(f"{live_server.url}/api", timeout=10)
    _empty_the_directory()
    report = feed_import(services=feed, source="mk-directory")
    again = feed_import(services=feed, source="mk-directory")
    _publish_everything(not_carried)

    assert report.skipped == [] and report.services["created"] == len(before)
    assert again.services["unchanged"] == len(before)  # places and the hours at them too
    after = _directory_pages(client)
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], name
