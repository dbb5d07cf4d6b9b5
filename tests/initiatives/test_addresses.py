"""Page addresses built from a slug without a reverse() each (initiatives/addresses.py): the same as
reverse() gives, on a site at the root and on one served under a path."""

import pytest
from django.urls import reverse, set_script_prefix

from initiatives.addresses import slug_address
from tests.factories import NeedFactory, ServiceFactory

SLUG_PAGES = [
    "initiatives:service_detail",
    "initiatives:organisation_detail",
    "initiatives:need_detail",
    "enquiries:service_enquiry",
    "indicators:indicator_detail",
]


@pytest.fixture
def script_prefix():
    """Serve the site under a path for one test, as a proxy that mounts it at /mk/ would."""

    def use(prefix):
        set_script_prefix(prefix)

    yield use
    set_script_prefix("/")


@pytest.mark.parametrize("view_name", SLUG_PAGES)
@pytest.mark.parametrize("prefix", ["/", "/mk/"])
def test_an_address_is_the_one_reverse_gives(script_prefix, view_name, prefix):
    script_prefix(prefix)
    for slug in ("job-club", "a_b-2", "2026"):
        assert slug_address(view_name, slug) == reverse(view_name, args=[slug])


@pytest.mark.django_db
def test_a_site_served_under_a_path_links_its_cards_there(client, script_prefix):
    service = ServiceFactory(name="Job club", needs=[NeedFactory()])
    slug_address("initiatives:service_detail", "warm")  # the address at the root is known already

    script_prefix("/mk/")  # what the WSGI handler sets from SCRIPT_NAME (the test client does not)
    page = client.get("/services/").content.decode()

    assert f'href="/mk/services/{service.slug}/"' in page
    assert f'href="/mk/services/{service.slug}/get-in-touch/"' in page
