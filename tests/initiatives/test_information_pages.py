"""The pages a public service owes its users: privacy notice, accessibility statement and about,
each linked from every page's footer, and the privacy notice quoting the periods the site keeps."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    pytest.param("initiatives:privacy", "Privacy", "Privacy notice", id="privacy"),
    pytest.param(
        "initiatives:accessibility",
        "Accessibility",
        "Accessibility statement for MK Directory",
        id="accessibility",
    ),
    pytest.param("initiatives:about", "About this directory", "About this directory", id="about"),
]


def _footer(page: str) -> str:
    return re.search(r'<footer class="site-footer">.*?</footer>', page, re.S).group(0)


@pytest.mark.parametrize("name, link_text, heading", PAGES)
def test_each_page_answers_and_is_linked_from_the_home_pages_footer(client, name, link_text, heading):
    url = reverse(name)

    response = client.get(url)
    footer = _footer(client.get(reverse("initiatives:home")).content.decode())

    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()
    assert f'<a href="{url}">{link_text}</a>' in footer


@pytest.mark.parametrize("name, link_text, heading", PAGES)
def test_each_page_is_in_the_sitemap(client, name, link_text, heading):
    assert f"<loc>{settings.SITE_URL}{reverse(name)}</loc>" in client.get("/sitemap.xml").content.decode()


def test_the_privacy_notice_quotes_the_periods_the_site_keeps(client, settings):
    settings.ENQUIRY_RETENTION_DAYS = 45
    settings.ENQUIRY_RATE_WINDOW_SECONDS = 2 * 60 * 60
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=20)
    settings.SESSION_COOKIE_AGE = 7 * 24 * 60 * 60
    settings.INVITATION_VALID_DAYS = 3
    settings.UNMATCHED_SEARCH_RETENTION_MONTHS = 7

    page = client.get(reverse("initiatives:privacy")).content.decode()

    assert "closed, and then for 45 days. After that it is deleted automatically." in page
    assert "never the address itself, for 120 minutes" in page
    assert "signing in is paused for 20 minutes" in page
    assert "It lasts 7 days after you last change what it holds" in page
    assert "work for 3 days" in page
    assert "We keep each day's counts for 7 months, then delete them automatically." in page


def test_the_privacy_notice_follows_a_change_of_retention(client, settings):
    settings.ENQUIRY_RETENTION_DAYS = 30
    before = client.get(reverse("initiatives:privacy")).content.decode()
    settings.ENQUIRY_RETENTION_DAYS = 60
    after = client.get(reverse("initiatives:privacy")).content.decode()

    assert "then for 30 days" in before and "then for 60 days" not in before
    assert "then for 60 days" in after and "then for 30 days" not in after


def test_the_privacy_notice_says_searches_are_counted_without_who(client):
    page = client.get(reverse("initiatives:privacy")).content.decode()

    assert "We keep only the words typed and the filters chosen, never who searched" in page


@pytest.mark.parametrize(
    "email, expected",
    [
        pytest.param("privacy@directory.test", '<a href="mailto:privacy@directory.test">', id="set"),
        pytest.param("", "say that your message is about your personal information", id="unset"),
    ],
)
def test_the_privacy_notice_says_whom_to_ask(client, settings, email, expected):
    settings.PRIVACY_CONTACT_EMAIL = email
    settings.DIRECTORY_OPERATOR = "Example Community Foundation"

    page = client.get(reverse("initiatives:privacy")).content.decode()

    assert expected in page
    assert "MK Directory is run by Example Community Foundation" in page
    assert f'<a href="{reverse("enquiries:contact")}">contact page</a>' in page


def test_the_accessibility_statement_has_the_usual_parts(client):
    page = client.get(reverse("initiatives:accessibility")).content.decode()

    for heading in (
        "How accessible this website is",
        "What to do if you cannot use parts of this website",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Non-accessible content",
        "How we tested this website",
        "Preparation of this accessibility statement",
    ):
        assert f">{heading}</h2>" in page
    assert "Equality Advisory and Support Service (EASS)" in page
    assert "We have not yet tested it with people who use screen readers" in page


def test_about_says_how_listings_are_checked_with_the_real_periods(client, settings):
    settings.REVIEW_PERIOD_MONTHS = 4
    settings.LONG_OVERDUE_DAYS = 60

    page = client.get(reverse("initiatives:about")).content.decode()

    assert "Our staff review every change an organisation makes before it appears here." in page
    assert "due for a check 4 months after it was last checked" in page
    assert "more than 60 days late" in page
    assert f'<a href="{reverse("enquiries:contact")}">contact us</a>' in page
