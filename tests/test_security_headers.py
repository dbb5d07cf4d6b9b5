"""Every response forbids the browser's powerful features (Permissions-Policy) beside the CSP."""

import pytest
from django.urls import reverse

from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

FEATURES_OFF = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "display-capture"]


def permissions(response) -> dict[str, str]:
    """The Permissions-Policy header as {feature: allow list}."""
    header = response.headers.get("Permissions-Policy", "")
    return dict(item.strip().split("=", 1) for item in header.split(",") if item.strip())


@pytest.mark.parametrize(
    ("url", "status"),
    [
        pytest.param("/", 200, id="home"),
        pytest.param("/services/", 200, id="service-list"),
        pytest.param("/services/job-club/", 200, id="service-page"),
        pytest.param("/no-such-page/", 404, id="not-found"),
        pytest.param("/services/%00/", 400, id="refused-request"),
        pytest.param("/api/", 200, id="api"),
        pytest.param("/api/services", 200, id="api-list"),
        pytest.param("/sitemap.xml", 200, id="sitemap"),
        pytest.param("/static/css/site.css", 200, id="static-file"),
        pytest.param("/static/js/admin-export-select-all.js", 200, id="static-script"),
    ],
)
def test_every_response_turns_the_powerful_features_off(client, url, status):
    ServiceFactory(name="Job club", slug="job-club")

    response = client.get(url)

    assert response.status_code == status
    policy = permissions(response)
    assert {feature: policy.get(feature) for feature in FEATURES_OFF} == dict.fromkeys(FEATURES_OFF, "()")
    assert set(policy.values()) == {"()"}, "no feature is allowed anywhere"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_staff_pages_send_it_too(staff_client):
    response = staff_client.get(reverse("admin:initiatives_service_changelist"))

    assert permissions(response)["camera"] == "()"
