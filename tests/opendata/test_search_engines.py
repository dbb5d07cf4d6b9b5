"""Found by search engines: JSON-LD that cannot be broken out of, the sitemap and robots.txt."""

import json
import re

import pytest
from django.conf import settings

from initiatives.publishing import PublicationState
from tests.factories import LocationFactory, NeedFactory, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
HOSTILE = 'Club </script><script>alert("x")</script> & <b>friends</b>'


def _json_ld(client, url) -> list[dict]:
    return [json.loads(block) for block in JSON_LD.findall(client.get(url).content.decode())]


def test_service_page_describes_the_service_for_search_engines(client):
    service = ServiceFactory(name="CV clinic", needs=[NeedFactory(name="Job applications")], is_free=True)
    service.locations.add(LocationFactory(name="Central Library", postcode="MK9 3QD"))
    [data] = _json_ld(client, service.get_absolute_url())

    assert data["@context"] == "https://schema.org" and data["@type"] == "Service"
    assert data["name"] == "CV clinic"
    assert data["provider"]["name"] == service.organisation.name
    assert data["serviceType"] == ["Job applications"]
    assert data["identifier"] == str(service.uuid)
    assert data["isAccessibleForFree"] is True
    place = data["availableChannel"][0]["serviceLocation"][0]
    assert place["address"]["postalCode"] == "MK9 3QD"


def test_organisation_page_describes_the_organisation(client):
    organisation = OrganisationFactory(name="Helping Hands", website="https://hands.example")
    [data] = _json_ld(client, organisation.get_absolute_url())
    assert (data["@type"], data["name"], data["sameAs"]) == (
        "Organization",
        "Helping Hands",
        "https://hands.example",
    )


@pytest.mark.parametrize("kind", ["service", "organisation"])
def test_a_hostile_name_cannot_break_out_of_the_json_ld(client, kind):
    service = ServiceFactory(name=HOSTILE, organisation=OrganisationFactory(name=HOSTILE))
    url = service.get_absolute_url() if kind == "service" else service.organisation.get_absolute_url()
    page = client.get(url).content.decode()

    assert "<script>alert" not in page
    assert page.count("</script>") == 1  # only the JSON-LD block's own end
    [data] = _json_ld(client, url)
    assert data["name"] == HOSTILE  # escaped for HTML, unchanged as data


def test_robots_txt_allows_public_pages_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *\nAllow: /\n" in text
    for private in ("/manage/", "/admin/", "/accounts/", "/my-list/"):
        assert f"Disallow: {private}\n" in text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text


def test_sitemap_lists_published_pages_only(client):
    published = ServiceFactory()
    draft = ServiceFactory(publication_state=PublicationState.DRAFT)
    hidden_organisation = OrganisationFactory(publication_state=PublicationState.ARCHIVED)
    need = NeedFactory()

    response = client.get("/sitemap.xml")
    xml = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    for url in (
        published.get_absolute_url(),
        published.organisation.get_absolute_url(),
        need.get_absolute_url(),
    ):
        assert f"<loc>{settings.SITE_URL}{url}</loc>" in xml
    assert draft.get_absolute_url() not in xml
    assert hidden_organisation.get_absolute_url() not in xml
    assert f"<loc>{settings.SITE_URL}/</loc>" in xml and "/contact/" in xml
