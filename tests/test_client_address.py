"""The visitor's real address behind proxies (MK_PROXY_COUNT): what every rate limit and the login
lockout count by, so one visitor cannot use up another's quota or lock another's account."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from initiatives.client_address import client_address
from initiatives.enquiries.models import Enquiry
from tests.factories import ServiceFactory, UserFactory
from tests.helpers.forms import ENQUIRY

PROXY = "10.0.0.5"  # the TLS proxy: every request behind it connects from here


def _address(forwarded_for=None, remote="192.0.2.1"):
    headers = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **headers))


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.PROXY_COUNT = 0

    assert _address("203.0.113.7") == "192.0.2.1"


def test_behind_one_proxy_the_right_most_entry_is_the_visitor(settings):
    settings.PROXY_COUNT = 1

    assert _address("203.0.113.7", remote=PROXY) == "203.0.113.7"


def test_entries_a_visitor_adds_in_front_are_ignored(settings):
    settings.PROXY_COUNT = 1

    assert _address("198.51.100.1, 198.51.100.2, 203.0.113.7", remote=PROXY) == "203.0.113.7"


def test_behind_two_proxies_the_entry_the_outer_one_wrote_is_the_visitor(settings):
    settings.PROXY_COUNT = 2

    assert _address("198.51.100.1, 203.0.113.7, 10.0.0.9", remote=PROXY) == "203.0.113.7"


@pytest.mark.parametrize(
    "forwarded_for",
    [None, "", "not-an-address", "203.0.113.7, <script>", "2001:db8::1 junk"],
    ids=["missing", "empty", "not an address", "junk right-most", "junk after an address"],
)
def test_a_missing_or_malformed_header_falls_back_to_the_connecting_address(settings, forwarded_for):
    settings.PROXY_COUNT = 1

    assert _address(forwarded_for, remote=PROXY) == PROXY


def test_too_few_entries_for_the_proxies_fall_back_to_the_connecting_address(settings):
    settings.PROXY_COUNT = 2

    assert _address("203.0.113.7", remote=PROXY) == PROXY


def test_ipv6_addresses_are_read(settings):
    settings.PROXY_COUNT = 1

    assert _address("2001:db8::7", remote=PROXY) == "2001:db8::7"


# Behind a proxy, every request comes from PROXY; the visitor is in X-Forwarded-For ----------------


@pytest.fixture
def behind_a_proxy(settings):
    settings.PROXY_COUNT = 1


def _sign_in(client, username, password, visitor):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=visitor,
    )


def test_an_attacker_elsewhere_cannot_lock_the_real_editor_out(client, db, behind_a_proxy):
    UserFactory(username="editor", password="right-password-123")
    for _ in range(5):
        _sign_in(client, "editor", "wrong", visitor="203.0.113.66")

    assert _sign_in(client, "editor", "right-password-123", visitor="203.0.113.66").status_code == 429
    client.logout()
    response = _sign_in(client, "editor", "right-password-123", visitor="198.51.100.20")
    assert response.status_code == 302
    assert response["Location"] == "/manage/"


def test_a_forged_entry_does_not_escape_the_lockout(client, db, behind_a_proxy):
    UserFactory(username="editor", password="right-password-123")
    for attempt in range(5):
        _sign_in(client, "editor", "wrong", visitor=f"198.51.100.{attempt}, 203.0.113.66")

    assert _sign_in(client, "editor", "right-password-123", visitor="203.0.113.66").status_code == 429


def test_each_visitor_has_their_own_enquiry_quota(client, db, settings, behind_a_proxy):
    settings.ENQUIRY_RATE_LIMIT = 2
    url = reverse("enquiries:service_enquiry", args=[ServiceFactory().slug])

    def send(forwarded_for):
        return client.post(url, ENQUIRY, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)

    statuses = [send(f"192.0.2.{n}, 203.0.113.7").status_code for n in range(3)]

    assert statuses == [302, 302, 429]  # a made-up entry in front does not buy another try
    assert send("198.51.100.9").status_code == 302
    assert Enquiry.objects.count() == 3
