"""Whatever is typed into the address bar gives a normal page or a clear 400, never a 500."""

import html
import re

import pytest
from django.urls import reverse

from tests.factories import (
    AudienceFactory,
    IndicatorFactory,
    NeedFactory,
    OrganisationFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("initiatives:service_list")


def error_summary(response) -> str:
    """The text of the error summary at the top of the page, unescaped, tags removed."""
    match = re.search(r'<div[^>]*role="alert"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    assert match, "the page has no error summary"
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()))


@pytest.fixture
def vocabulary():
    NeedFactory(slug="find-work")
    AudienceFactory(slug="women")
    ServiceFactory(name="Job club")


@pytest.mark.parametrize(
    ("query", "named"),
    [
        pytest.param("need=no-such-need", "no-such-need", id="unknown-need"),
        pytest.param("need=find-work&need=no-such-need", "no-such-need", id="one-good-one-unknown-need"),
        pytest.param("audience=martians", "martians", id="unknown-audience"),
        pytest.param("mode=teleport", "teleport", id="unknown-mode"),
        pytest.param("access=secret-handshake", "secret-handshake", id="unknown-access"),
        pytest.param("kind=festival", "festival", id="unknown-kind"),
        pytest.param("sort=random", "random", id="unknown-sort"),
        pytest.param("q=" + "x" * 201, "200", id="q-too-long"),
    ],
)
def test_bad_filter_value_is_a_400_naming_the_problem(client, vocabulary, query, named):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400
    summary = error_summary(response)
    assert named in summary
    assert response.content.decode().count('type="checkbox"') > 0, "the form is still there to fix"
    assert "<title>Error:" in response.content.decode()


def test_bad_filter_shows_no_results_rather_than_ignoring_the_filter(client, vocabulary):
    response = client.get(URL, {"need": "no-such-need"})

    assert response.status_code == 400
    assert response.context["paginator"].count == 0


def test_q_of_exactly_200_characters_is_accepted(client, vocabulary):
    response = client.get(URL, {"q": "x" * 200})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "param", ["q", "need", "audience", "mode", "access", "kind", "sort"], ids=lambda param: param
)
def test_error_summary_links_to_the_field_at_fault(client, vocabulary, param):
    response = client.get(URL, {param: "x" * 201})
    summary_html = re.search(r'role="alert".*?</div>', response.content.decode(), re.S).group(0)
    target = re.search(r'<a href="#([^"]+)"', summary_html).group(1)
    page = response.content.decode()
    element = re.search(rf'<(\w+)[^>]*\bid="{re.escape(target)}"[^>]*>', page)

    assert element, f"the summary links to #{target}, which is not on the page"
    field_html = element.group(0)
    if element.group(1) == "fieldset":
        field_html = page[element.start() : page.index("</fieldset>", element.start())]
    assert f'name="{param}"' in field_html


@pytest.fixture
def two_pages():
    for number in range(25):
        ServiceFactory(name=f"Service {number:02}")


@pytest.mark.parametrize(
    "page, shown",
    [
        pytest.param("abc", 1, id="not-a-number-is-the-first"),
        pytest.param("", 1, id="empty-is-the-first"),
        pytest.param("1.5", 1, id="fraction-is-the-first"),
        pytest.param("0", 1, id="zero-is-the-first"),
        pytest.param("-1", 1, id="negative-is-the-first"),
        pytest.param("99999999999999999999", 2, id="huge-is-the-last"),
        pytest.param("1e308", 1, id="exponent-is-the-first"),
        pytest.param("２", 2, id="full-width-two-is-the-second"),
    ],
)
def test_odd_page_numbers_show_the_nearest_real_page(client, two_pages, page, shown):
    response = client.get(URL, {"page": page})

    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    assert page_obj.number == shown
    assert len(page_obj.object_list) > 0
    assert "Service " in response.content.decode()


# Words are searched for, whatever they are (200); a search over 200 characters, or a need, sort or
# way of getting help that is not one of the choices, is a 400 with the page shown again.
@pytest.mark.parametrize(
    ("params", "raw", "status"),
    [
        pytest.param({"q": "<script>alert(1)</script>"}, "<script>alert(1)</script>", 200, id="script-in-q"),
        pytest.param({"q": '" autofocus onfocus="alert(1)'}, 'onfocus="alert(1)', 200, id="attribute-in-q"),
        pytest.param({"q": "<img src=x onerror=alert(1)>"}, "<img src=x", 200, id="img-in-q"),
        pytest.param(
            {"q": "<script>alert(1)</script>" + "x" * 200},
            "<script>alert(1)</script>",
            400,
            id="script-in-too-long-q",
        ),
        pytest.param(
            {"need": "<script>alert(1)</script>"}, "<script>alert(1)</script>", 400, id="script-in-need"
        ),
        pytest.param(
            {"sort": "<script>alert(1)</script>"}, "<script>alert(1)</script>", 400, id="script-in-sort"
        ),
        pytest.param(
            {"mode": "<b onmouseover=alert(1)>"}, "<b onmouseover=alert(1)>", 400, id="markup-in-mode"
        ),
    ],
)
def test_markup_typed_in_is_escaped(client, vocabulary, params, raw, status):
    response = client.get(URL, params)

    assert response.status_code == status
    page = response.content.decode()
    assert raw not in page
    assert "<script" not in page


def test_q_is_shown_back_escaped(client, vocabulary):
    response = client.get(URL, {"q": "<script>alert(1)</script>"})

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


# A NUL byte makes any filter's value invalid (400); a page number that is not a number shows the first page.
@pytest.mark.parametrize(
    "query, status",
    [
        pytest.param("q=a%00b", 400, id="nul-in-q"),
        pytest.param("q=%00", 400, id="only-nul-in-q"),
        pytest.param("need=find%00work", 400, id="nul-in-need"),
        pytest.param("audience=wo%00men", 400, id="nul-in-audience"),
        pytest.param("mode=pho%00ne", 400, id="nul-in-mode"),
        pytest.param("page=1%00", 400, id="nul-in-page"),
        pytest.param("sort=na%00me", 400, id="nul-in-sort"),
    ],
)
def test_nul_byte_never_breaks_the_page(client, vocabulary, query, status):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == status


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("q=" + "+".join(["a"] * 99), id="99-words"),
        pytest.param("q=%25%5F%5C", id="like-wildcards"),
        pytest.param("&".join(["need=find-work"] * 200), id="same-need-200-times"),
        pytest.param("q=%F0%9F%91%8D", id="emoji"),
        pytest.param("q=%FF%FE", id="invalid-utf8"),
    ],
)
def test_unusual_but_harmless_queries_give_a_page(client, vocabulary, query):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 200


def test_like_wildcards_are_matched_literally(client):
    ServiceFactory(name="Job club")
    ServiceFactory(name="100% free advice")

    response = client.get(URL, {"q": "%"})

    assert [found.name for found in response.context["page_obj"].object_list] == ["100% free advice"]


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(reverse("initiatives:service_detail", args=["no-such-service"]), id="service"),
        pytest.param(reverse("initiatives:organisation_detail", args=["no-such-org"]), id="organisation"),
        pytest.param(reverse("initiatives:need_detail", args=["no-such-need"]), id="need"),
        pytest.param(reverse("indicators:indicator_detail", args=["no-such-indicator"]), id="indicator"),
        pytest.param("/services/%3Cscript%3E/", id="markup-in-slug"),
    ],
)
def test_unknown_address_is_a_404(client, url):
    ServiceFactory()
    OrganisationFactory()
    NeedFactory()
    IndicatorFactory()

    response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "<script" not in response.content.decode()
