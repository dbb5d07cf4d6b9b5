"""The forms on cached public pages carry no CSRF token (initiatives/same_origin.py): a POST that another
site's page sends is refused by what the browser says about where it came from, and nothing is saved.

Every request here goes through Django's CSRF checks (enforce_csrf_checks), as a browser's does."""

import pytest
from django.test import Client

from initiatives.feedback.models import ProblemReport
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://directory.example.org"
REPORT = {"text": "The phone number on this page no longer works.", "contact_email": "", "website": ""}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def service():
    return ServiceFactory(name="Digital skills drop-in")


def save(browser, service, **headers):
    return browser.post("/my-list/add/", {"service": service.pk}, headers=headers)


def saved_names(browser) -> str:
    return browser.get("/my-list/").content.decode()


FROM_ANOTHER_SITE = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # a neighbouring subdomain is another site too
    {"Sec-Fetch-Site": "cross-site", "Origin": SITE_URL},  # the browser's word counts first
    {"Origin": "https://evil.example"},
    {"Origin": "null"},  # a sandboxed frame or a file
    {"Referer": "https://evil.example/page"},
    {},  # no word at all about where it came from
]
FROM_OUR_OWN_PAGES = [
    {"Sec-Fetch-Site": "same-origin"},
    {"Origin": SITE_URL},
    {"Origin": "http://testserver"},  # the address the request itself was sent to
    {"Referer": f"{SITE_URL}/services/"},
]


@pytest.mark.parametrize("headers", FROM_ANOTHER_SITE)
def test_saving_from_another_sites_page_is_refused(browser, service, headers):
    response = save(browser, service, **headers)

    assert response.status_code == 403
    assert "Digital skills drop-in" not in saved_names(browser)


@pytest.mark.parametrize("headers", FROM_OUR_OWN_PAGES)
def test_saving_from_our_own_pages_needs_no_token(browser, service, headers):
    response = save(browser, service, **headers)

    assert response.status_code == 302
    assert "Digital skills drop-in" in saved_names(browser)


def test_the_refusal_says_why(browser, service):
    response = save(browser, service)

    assert "did not say which site this form came from" in response.content.decode()


def test_removing_from_another_sites_page_is_refused(browser, service):
    save(browser, service, **{"Sec-Fetch-Site": "same-origin"})

    response = browser.post(
        "/my-list/remove/", {"service": service.pk}, headers={"Sec-Fetch-Site": "cross-site"}
    )

    assert response.status_code == 403
    assert "Digital skills drop-in" in saved_names(browser)


@pytest.mark.parametrize("headers", FROM_ANOTHER_SITE)
def test_a_problem_report_from_another_sites_page_is_refused(browser, service, headers):
    response = browser.post(f"{service.get_absolute_url()}report-a-problem/", REPORT, headers=headers)

    assert response.status_code == 403
    assert not ProblemReport.objects.exists()


def test_a_problem_report_from_our_own_page_is_taken(browser, service):
    response = browser.post(
        f"{service.get_absolute_url()}report-a-problem/", REPORT, headers={"Sec-Fetch-Site": "same-origin"}
    )

    assert response.status_code == 302
    assert ProblemReport.objects.get().service == service


def test_every_other_form_still_needs_its_token(browser, service):
    save(browser, service, **{"Sec-Fetch-Site": "same-origin"})

    cleared = browser.post("/my-list/clear/", headers={"Sec-Fetch-Site": "same-origin"})

    assert cleared.status_code == 403
    assert "Digital skills drop-in" in saved_names(browser)
