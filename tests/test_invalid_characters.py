"""A NUL anywhere in a request, or a control character in its path, is a plain 400, never a 500.

PostgreSQL refuses NUL in text, so before mkdirectory.middleware.InvalidCharactersMiddleware these
requests were a 500 there (and a 404 or a form error on SQLite); CI runs this file on both.
"""

import json
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from mkdirectory.middleware import invalid_part
from tests.factories import IndicatorFactory, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

PLAIN_400 = "Sorry, we could not understand that request"


@pytest.fixture
def directory():
    ServiceFactory(name="Job club", slug="job-club", organisation=OrganisationFactory(slug="works"))
    IndicatorFactory(slug="unemployment")


def assert_plain_400(response):
    assert response.status_code == 400
    assert PLAIN_400 in response.content.decode()
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/my-list/shared/?s=%00", id="shared-list"),
        pytest.param("/my-list/shared/?s=job-club&s=job%00club", id="shared-list-second-value"),
        pytest.param("/services/?q=job%00", id="search"),
        pytest.param("/services/?need=%00", id="filter"),
        pytest.param("/services/?%00=1", id="parameter-name"),
        pytest.param("/services/job%00club/", id="service-page"),
        pytest.param("/services/job-club/get-in-touch/?next=%00", id="enquiry-form"),
        pytest.param("/organisations/wor%00ks/", id="organisation-page"),
        pytest.param("/organisations/wor%01ks/", id="control-character-in-path"),
        pytest.param("/organisations/works%7F/", id="delete-character-in-path"),
        pytest.param("/needs/%00/", id="need-page"),
        pytest.param("/indicators/%00/", id="indicator-page"),
        pytest.param("/indicators/%00.csv", id="indicator-csv"),
        pytest.param("/images/logos/%00.png", id="image"),
        pytest.param("/sitemap.xml?p=%00", id="sitemap"),
        pytest.param("/?%00", id="home"),
    ],
)
def test_a_nul_in_a_public_address_is_the_plain_400_page(client, directory, url):
    assert_plain_400(client.get(url))


@pytest.mark.parametrize(
    ("url", "part"),
    [
        pytest.param("/api/indicators/%00", "path", id="indicator"),
        pytest.param("/api/services?search=job%00club", "search", id="services-search"),
        pytest.param("/api/organizations?page=1&x%00=y", "x\\x00", id="parameter-name"),
        pytest.param("/api/services/%01", "path", id="control-character-in-path"),
    ],
)
def test_a_nul_in_an_api_address_is_a_json_400_like_the_apis_others(client, directory, url, part):
    own_error = client.get("/api/services?page=0")
    response = client.get(url)

    assert (own_error.status_code, response.status_code) == (400, 400)
    assert response["Content-Type"] == own_error["Content-Type"]
    body, own_body = json.loads(response.content), json.loads(own_error.content)
    assert set(body) == set(own_body) == {"message", "errors"}
    assert [set(error) for error in body["errors"]] == [set(error) for error in own_body["errors"]]
    assert body["message"].startswith(f"{part}: ")
    assert "NUL" in body["message"]
    assert response["Access-Control-Allow-Origin"] == "*"


SIGN_IN = {"username": "staff\x00member", "password": "anything"}
ENQUIRY = {"name": "Test Resident", "email": "resident@example.test", "message": "Help\x00 please"}


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        pytest.param("accounts_login", SIGN_IN, id="sign-in"),
        pytest.param("enquiries:contact", ENQUIRY, id="enquiry"),
        pytest.param("enquiries:contact", {**ENQUIRY, "na\x00me": "x"}, id="field-name"),
    ],
)
@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_nul_in_a_posted_form_is_the_plain_400_page(client, url_name, data, encoding):
    url = reverse("login") if url_name == "accounts_login" else reverse(url_name)
    if encoding == "multipart":
        response = client.post(url, data)
    else:
        response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")

    assert_plain_400(response)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/services/?q=job%0Aclub%09cv", id="newline-and-tab-in-a-search"),
        pytest.param("/my-list/shared/?s=job-club", id="shared-list"),
        pytest.param("/my-list/shared/?s=job-club&s=100%25", id="a-percent-sign"),
    ],
)
def test_ordinary_addresses_still_work(client, directory, url):
    response = client.get(url)

    assert response.status_code == 200
    assert "Job club" in response.content.decode()


def test_file_contents_are_not_read():
    """An image may hold any byte, NUL included; only the names around it are checked."""
    image = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", content_type="image/png")
    request = RequestFactory().post("/manage/", {"summary": "New photo", "photo": image})

    assert invalid_part(request) is None
