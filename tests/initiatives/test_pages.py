"""What residents see on each public page: needs, services, who runs them, and the local figures."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from indicators.choices import AreaKind, ValueType
from initiatives.models import ServiceKind, ServiceStatus
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    ContactFactory,
    DataPointFactory,
    IndicatorFactory,
    IndicatorNeedFactory,
    IndicatorServiceFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    ServiceFactory,
    SourceFactory,
)
from tests.helpers.pages import get_page, sections, text_of

pytestmark = pytest.mark.django_db

D = datetime.date


def definition(fragment: str, term: str) -> str:
    """The text given for a term in a definition list."""
    match = re.search(rf"<dt>{re.escape(term)}</dt>\s*<dd>(.*?)</dd>", fragment, re.S)
    assert match, f"no {term!r} in the list"
    return text_of(match.group(1))


def links(page: str) -> dict[str, str]:
    """Link text to address, for every link on the page."""
    return {
        text_of(label): href
        for href, label in re.findall(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', page, re.S)
    }


class _TableReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(page: str) -> list[list[str]]:
    reader = _TableReader()
    reader.feed(page)
    return reader.rows


@pytest.fixture
def home():
    return AreaFactory(home=True)


@pytest.fixture
def unemployment(home):
    """A published headline figure, 4.34% in August 2025, with an older value and a comparator."""
    source = SourceFactory(publisher="Office for Example Statistics", title="Labour market in the regions")
    indicator = IndicatorFactory(
        title="Unemployment rate",
        slug="unemployment-rate",
        value_type=ValueType.PERCENTAGE,
        decimal_places=2,
        source=source,
        headline_position=1,
    )
    DataPointFactory(
        indicator=indicator,
        area=home,
        period_label="July 2025",
        period_start=D(2025, 7, 1),
        period_end=D(2025, 7, 31),
        value=Decimal("4.51"),
    )
    DataPointFactory(
        indicator=indicator,
        area=home,
        period_label="August 2025",
        period_start=D(2025, 8, 1),
        period_end=D(2025, 8, 31),
        value=Decimal("4.34"),
    )
    DataPointFactory(
        indicator=indicator,
        area=AreaFactory(name="Example Region", kind=AreaKind.REGION),
        period_label="September 2025",
        period_start=D(2025, 9, 1),
        period_end=D(2025, 9, 30),
        value=Decimal("9.87"),
    )
    return indicator


# ---- home -----------------------------------------------------------------------------------


def test_home_links_each_top_level_need_to_its_page(client):
    work = NeedFactory(name="Find work", slug="find-work")
    money = NeedFactory(name="Money and debt", slug="money-and-debt")
    NeedFactory(name="Digital skills", slug="digital-skills", parent=work)

    page = get_page(client, reverse("initiatives:home"))
    found = links(page)

    assert found["Find work"] == "/needs/find-work/"
    assert found["Money and debt"] == "/needs/money-and-debt/"
    assert found["Digital skills"] == "/needs/digital-skills/"
    assert page.index("Find work") < page.index("Digital skills")
    assert work.description in page and money.description in page


def test_home_has_a_search_form_for_services(client):
    page = get_page(client, reverse("initiatives:home"))
    form = re.search(r"<form[^>]*>.*?</form>", page, re.S).group(0)

    assert 'action="/services/"' in form
    assert 'method="get"' in form
    assert re.search(r'<input[^>]*name="q"', form)
    input_id = re.search(r'<input[^>]*\bid="([^"]+)"[^>]*name="q"', form).group(1)
    assert f'<label for="{input_id}">' in form


def test_home_shows_headline_figures_with_period_and_source(client, unemployment):
    not_headline = IndicatorFactory(title="Bus journeys", headline_position=None)
    DataPointFactory(indicator=not_headline, area=unemployment.data_points.first().area)

    page = get_page(client, reverse("initiatives:home"))
    figures = text_of(sections(page)["The local picture"])

    assert "Unemployment rate" in figures
    assert "4.34%" in figures
    assert "August 2025" in figures
    assert "Office for Example Statistics" in figures
    assert "Unemployment rate: 4.34% in Milton Keynes in August 2025." in figures, (
        "the headline is the latest"
    )
    assert "Down from 4.51% in July 2025 to 4.34% in August 2025." in figures, (
        "the earlier one says the change"
    )
    assert "9.87%" not in figures, "the headline is the home area's value"
    assert "Bus journeys" not in page
    assert links(page)["Unemployment rate"] == "/indicators/unemployment-rate/"


def test_home_headlines_follow_their_position(client, home):
    for position, title in [(2, "Second figure"), (1, "First figure"), (3, "Third figure")]:
        DataPointFactory(indicator=IndicatorFactory(title=title, headline_position=position), area=home)

    page = get_page(client, reverse("initiatives:home"))

    assert page.index("First figure") < page.index("Second figure") < page.index("Third figure")


def test_home_figure_cites_the_data_points_own_source(client, unemployment, home):
    survey = IndicatorFactory(title="Residents online", headline_position=2)
    DataPointFactory(
        indicator=survey, area=home, source=SourceFactory(publisher="Example Survey Partnership")
    )

    figures = text_of(sections(get_page(client, reverse("initiatives:home")))["The local picture"])

    assert "Example Survey Partnership" in figures


# ---- service page ---------------------------------------------------------------------------


@pytest.fixture
def job_club():
    organisation = OrganisationFactory(name="Works for Example", slug="works-for-example")
    return ServiceFactory(
        name="Job club",
        organisation=organisation,
        audiences=[AudienceFactory(name="Care workers"), AudienceFactory(name="Women")],
        needs=[NeedFactory(name="Find work")],
        website="",
        email="",
        phone="",
        last_verified_on=D(2025, 3, 4),
    )


def test_service_page_names_its_organisation(client, job_club):
    page = get_page(client, job_club.get_absolute_url())

    assert links(page)["Works for Example"] == "/organisations/works-for-example/"
    assert text_of(re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)) == "Job club"


def test_service_page_says_who_it_is_for(client, job_club):
    who = definition(sections(get_page(client, job_club.get_absolute_url()))["Who it is for"], "For")

    assert "Care workers" in who
    assert "Women" in who


def test_a_service_without_contact_details_still_takes_a_message(client, job_club):
    how = sections(get_page(client, job_club.get_absolute_url()))["How to get help"]

    assert links(how)["Send a message"] == reverse("enquiries:service_enquiry", args=[job_club.slug])
    assert "Not yet provided" not in how
    # What is missing is said once, on one line, and who to ask.
    assert text_of(how).count("Not listed yet") == 1
    assert "Not listed yet: where it happens, opening times and cost. Ask Works for Example." in text_of(how)


def test_service_page_shows_contact_details_it_has_before_the_rest(client, job_club):
    job_club.phone = "01908 000000"
    job_club.save()
    job_club.organisation.email = "hello@example.test"
    job_club.organisation.save()

    page = get_page(client, job_club.get_absolute_url())
    how = sections(page)["How to get help"]

    assert links(how)["01908 000000"] == "tel:01908000000"
    assert links(how)["hello@example.test"] == "mailto:hello@example.test"
    assert "Call 01908 000000" in text_of(how)
    assert "Email hello@example.test (Works for Example)" in text_of(how)  # the organisation's, named
    assert "Website" not in text_of(how)
    assert page.index("How to get help") < page.index("What it is")


def test_a_place_has_a_directions_link_to_a_map_site_and_nothing_is_loaded_from_it(client, job_club):
    job_club.locations.add(
        LocationFactory(
            name="Central library", postcode="MK9 3QD", latitude=Decimal("52.04"), longitude=Decimal("-0.76")
        )
    )

    page = get_page(client, job_club.get_absolute_url())
    how = sections(page)["How to get help"]

    directions = links(how)["Directions to Central library"]
    assert directions.startswith("https://") and "52.040000,-0.760000" in directions
    assert not re.search(r'<(?:img|script|iframe)[^>]+src="https?://', page)


def test_service_page_says_when_it_was_last_checked(client, job_club):
    page = text_of(get_page(client, job_club.get_absolute_url()))

    assert "Last checked on 4 March 2025" in page


def test_service_page_explains_why_it_matters_with_linked_figures(client, job_club, unemployment):
    IndicatorServiceFactory(indicator=unemployment, service=job_club, note="Most members are out of work.")

    page = get_page(client, job_club.get_absolute_url())
    why = sections(page)["Why this matters"]

    assert links(why)["Unemployment rate"] == "/indicators/unemployment-rate/"
    assert "4.34%" in text_of(why)
    assert "August 2025" in text_of(why)
    assert "Office for Example Statistics" in text_of(why)
    assert "Most members are out of work." in text_of(why)


def test_service_page_without_linked_figures_has_no_why_this_matters(client, job_club, unemployment):
    assert "Why this matters" not in sections(get_page(client, job_club.get_absolute_url()))


# ---- need page ------------------------------------------------------------------------------


def test_need_page_shows_the_local_picture_and_the_services_of_its_children(client, unemployment):
    work = NeedFactory(name="Find work", slug="find-work")
    skills = NeedFactory(name="Digital skills", parent=work)
    coding = NeedFactory(name="Learn to code", parent=skills)
    ServiceFactory(name="Job club", needs=[work])
    ServiceFactory(name="Computer class", needs=[skills])
    ServiceFactory(name="Code club", needs=[coding])
    ServiceFactory(name="Debt advice", needs=[NeedFactory()])
    IndicatorNeedFactory(indicator=unemployment, need=work)

    parts = sections(get_page(client, work.get_absolute_url()))
    picture = parts["The picture in Milton Keynes"]
    services = text_of(parts["Services that can help"])

    assert links(picture)["Unemployment rate"] == "/indicators/unemployment-rate/"
    assert "4.34%" in text_of(picture)
    assert "Office for Example Statistics" in text_of(picture)
    assert "Job club" in services
    assert "Computer class" in services
    assert "Code club" in services
    assert "Debt advice" not in services


def test_need_page_links_to_the_filtered_list(client):
    work = NeedFactory(slug="find-work")
    ServiceFactory(needs=[work])

    page = get_page(client, work.get_absolute_url())

    assert any(href == "/services/?need=find-work" for href in links(page).values())


def test_need_page_count_is_what_the_filtered_list_shows(client):
    work = NeedFactory(slug="find-work")
    skills = NeedFactory(parent=work)
    for number in range(12):
        ServiceFactory(name=f"Club {number:02}", needs=[work if number % 2 else skills])
    ServiceFactory(name="Old club", needs=[work], status=ServiceStatus.ENDED)

    page = get_page(client, work.get_absolute_url())
    count = int(re.search(r"See all (\d+) services", text_of(page)).group(1))
    listed = client.get(reverse("initiatives:service_list"), {"need": "find-work"})

    assert count == 12
    assert listed.context["paginator"].count == count
    shown = re.findall(r'<li class="card"[^>]*>\s*<h3><a[^>]*>(Club .*?)</a>', page)
    assert len(shown) == 10, "the need page shows the first ten and links to the rest"


def test_child_need_page_links_back_to_its_parent(client):
    work = NeedFactory(name="Find work", slug="find-work")
    skills = NeedFactory(name="Digital skills", parent=work)

    assert links(get_page(client, skills.get_absolute_url()))["Find work"] == "/needs/find-work/"


# ---- organisation page ----------------------------------------------------------------------


def test_organisation_page_separates_current_services_from_past_events(client):
    organisation = OrganisationFactory(name="Example Innovates")
    ServiceFactory(name="Coding club", organisation=organisation)
    ServiceFactory(
        name="Science festival 2024",
        organisation=organisation,
        kind=ServiceKind.EVENT,
        status=ServiceStatus.ENDED,
    )
    ServiceFactory(name="Summer school", organisation=organisation, ends_on=D(2020, 8, 31))

    parts = sections(get_page(client, organisation.get_absolute_url()))
    current = text_of(parts["Services"])
    past = text_of(next(body for heading, body in parts.items() if heading.startswith("Past")))

    assert "Coding club" in current
    assert "Science festival 2024" not in current
    assert "Summer school" not in current
    assert "Science festival 2024" in past
    assert "Summer school" in past
    assert "Coding club" not in past


def test_organisation_page_names_its_published_partners(client):
    organisation = OrganisationFactory(name="Works for Example")
    partner = OrganisationFactory(name="Example Advice", slug="example-advice")
    organisation.partners.add(partner)

    assert links(get_page(client, organisation.get_absolute_url()))["Example Advice"] == (
        "/organisations/example-advice/"
    )
    assert "Works for Example" in get_page(client, partner.get_absolute_url())


def test_organisation_list_links_each_organisation_with_its_current_service_count(client):
    busy = OrganisationFactory(name="Busy Trust", slug="busy-trust")
    OrganisationFactory(name="Quiet Trust", slug="quiet-trust")
    ServiceFactory(organisation=busy)
    ServiceFactory(organisation=busy)
    ServiceFactory(organisation=busy, status=ServiceStatus.ENDED)

    page = get_page(client, reverse("initiatives:organisation_list"))

    assert links(page)["Busy Trust"] == "/organisations/busy-trust/"
    assert "2 current services" in text_of(page)
    assert "0 current services" in text_of(page)


# ---- indicator pages ------------------------------------------------------------------------


@pytest.fixture
def earnings(home):
    indicator = IndicatorFactory(
        title="Earnings growth",
        slug="earnings-growth",
        value_type=ValueType.CHANGE,
        decimal_places=1,
        caveats="Survey estimates for small areas are uncertain.",
        source=SourceFactory(publisher="Office for Example Statistics", title="Annual earnings survey"),
    )
    region = AreaFactory(name="Example Shire", kind=AreaKind.REGION)
    country = AreaFactory(name="Example Country", kind=AreaKind.COUNTRY)
    years = {2023: (D(2023, 4, 1), D(2024, 3, 31)), 2024: (D(2024, 4, 1), D(2025, 3, 31))}
    values = [
        (home, 2024, "17.6"),
        (home, 2023, "12.0"),
        (region, 2023, "10.5"),
        (region, 2024, "19.2"),
        (country, 2024, "21.6"),
    ]
    for area, year, value in values:
        start, end = years[year]
        DataPointFactory(
            indicator=indicator,
            area=area,
            period_label=f"April {year} to March {year + 1}",
            period_start=start,
            period_end=end,
            value=Decimal(value),
            source=SourceFactory(publisher="Example Regional Observatory") if area == country else None,
        )
    return indicator


def test_indicator_page_tables_values_by_period_and_area(client, earnings):
    rows = table_rows(get_page(client, earnings.get_absolute_url()))
    header, body = rows[0], rows[1:]

    assert header[0] == "Period"
    assert header[1] == "Milton Keynes", "the home area comes first"
    assert sorted(header[1:]) == ["Example Country", "Example Shire", "Milton Keynes"]
    by_period = {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in body}
    assert [row[0] for row in body] == ["April 2023 to March 2024", "April 2024 to March 2025"]
    assert by_period["April 2024 to March 2025"] == {
        "Milton Keynes": "17.6%",
        "Example Shire": "19.2%",
        "Example Country": "21.6%",
    }
    assert by_period["April 2023 to March 2024"]["Milton Keynes"] == "12.0%"
    assert by_period["April 2023 to March 2024"]["Example Shire"] == "10.5%"
    assert by_period["April 2023 to March 2024"]["Example Country"] == "No data"


def test_indicator_table_has_a_caption_and_scoped_headers(client, earnings):
    page = get_page(client, earnings.get_absolute_url())
    table = re.search(r"<table>.*?</table>", page, re.S).group(0)

    assert "<caption>" in table
    assert table.count('scope="col"') == 4
    assert table.count('scope="row"') == 2


def test_indicator_page_shows_confidence_limits_and_sample_size(client, home):
    indicator = IndicatorFactory(title="Residents online", decimal_places=1)
    DataPointFactory(
        indicator=indicator,
        area=home,
        value=Decimal("62.0"),
        # Limits that round to one place the same way under any rule: no ties such as 58.25.
        lower_limit=Decimal("58.24"),
        upper_limit=Decimal("65.76"),
        sample_size=412,
    )

    cell = table_rows(get_page(client, indicator.get_absolute_url()))[1][1]

    assert cell == "62.0% 95% interval 58.2 to 65.8 412 people asked"


def test_indicator_page_cites_every_source_and_the_caveats(client, earnings):
    about = sections(get_page(client, earnings.get_absolute_url()))["About this figure"]

    assert "Office for Example Statistics" in text_of(about)
    assert "Annual earnings survey" in text_of(about)
    assert "Example Regional Observatory" in text_of(about)
    assert "Survey estimates for small areas are uncertain." in text_of(about)


def test_indicator_list_shows_each_figure_with_period_and_source(client, unemployment, earnings):
    page = text_of(get_page(client, reverse("indicators:indicator_list")))

    assert "Unemployment rate 4.34% Milton Keynes, August 2025" in page
    assert "Earnings growth 17.6% Milton Keynes, April 2024 to March 2025" in page
    assert page.count("Office for Example Statistics") == 2


# ---- every page -----------------------------------------------------------------------------


@pytest.fixture
def every_page(unemployment, job_club):
    IndicatorServiceFactory(indicator=unemployment, service=job_club)
    need = job_club.needs.get()
    IndicatorNeedFactory(indicator=unemployment, need=need)
    return [
        reverse("initiatives:home"),
        reverse("initiatives:service_list"),
        reverse("initiatives:service_list") + "?need=no-such-need",
        job_club.get_absolute_url(),
        reverse("initiatives:organisation_list"),
        job_club.organisation.get_absolute_url(),
        need.get_absolute_url(),
        reverse("indicators:indicator_list"),
        unemployment.get_absolute_url(),
        "/no-such-page/",
    ]


def test_every_page_sends_a_content_security_policy_without_inline_script(client, every_page):
    for url in every_page:
        response = client.get(url)
        policy = response.headers.get("Content-Security-Policy", "")
        directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
        script_sources = directives.get("script-src", directives.get("default-src"))
        assert script_sources == ["'self'"], url
        # JSON-LD blocks are data for search engines, not script: nothing else may appear.
        page = re.sub(r'<script type="application/ld\+json">.*?</script>', "", response.content.decode())
        assert "<script" not in page.lower(), url


def test_every_page_has_one_main_landmark_and_a_skip_link(client, every_page):
    for url in every_page:
        page = client.get(url).content.decode()
        assert page.count("<main") == 1, url
        target = re.search(r'<a class="skip-link" href="#([^"]+)"', page).group(1)
        assert f'id="{target}"' in page, url
        assert page.count("<h1") == 1, url


def test_every_phone_number_on_a_service_page_is_dialled_the_same_way(client, job_club):
    job_club.phone = "(01908) 000-000"
    job_club.save()
    ContactFactory(service=job_club, name="Sam", phone="(01908) 111-222")

    how = sections(get_page(client, job_club.get_absolute_url()))["How to get help"]

    assert links(how)["(01908) 000-000"] == "tel:01908000000"
    assert links(how)["(01908) 111-222"] == "tel:01908111222"
