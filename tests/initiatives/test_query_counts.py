"""Every public page runs a fixed number of queries, however many services or figures it shows.

Each page is asked for with 5 and with 50 of everything under the same ceiling: the
number measured with 5. A page that grows a query per row fails at 50.
"""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from indicators.choices import AreaKind, ComparisonRelation
from indicators.models import StatedComparison
from initiatives.models import Contact, CostOption, ServiceStatus
from initiatives.public.views import HomeView, ServiceListView
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    ContextFactFactory,
    DataPointFactory,
    DatedSessionFactory,
    IndicatorFactory,
    IndicatorNeedFactory,
    IndicatorServiceFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    ScheduleFactory,
    ServiceFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SIZES = [pytest.param(5, id="5"), pytest.param(50, id="50")]


def build_directory(n: int) -> dict:
    """n of everything a page lists, each row with the relations its page shows.

    One organisation runs n services (every fifth one ended) and partners n others,
    which run one service each; every service has two needs, two audiences, a place,
    opening times, a session, a cost, a contact and a linked indicator. There are n
    headline indicators, and the first has n periods for two areas.
    """
    home = AreaFactory(home=True)
    region = AreaFactory(name="Example Region", kind=AreaKind.REGION)
    # Every service is general advice, so a search that finds nothing suggests all 2n of them.
    common_need = NeedFactory(name="General advice", slug=settings.GENERAL_ADVICE_NEED_SLUG)
    common_audience = AudienceFactory(name="Anyone", slug="anyone")
    main = OrganisationFactory(name="Main Trust", slug="main-trust")
    indicators = []
    for i in range(n):
        source = SourceFactory()
        indicator = IndicatorFactory(headline_position=i + 1, source=source)
        indicators.append(indicator)
        latest = DataPointFactory(
            indicator=indicator,
            area=home,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            source=SourceFactory() if i % 2 else None,
        )
        DataPointFactory(indicator=indicator, area=home)
        DataPointFactory(indicator=indicator, area=region)
        StatedComparison.objects.create(
            data_point=latest, comparator=region, relation=ComparisonRelation.HIGHER
        )
        IndicatorNeedFactory(indicator=indicator, need=common_need)
        fact = ContextFactFactory()
        fact.needs.add(common_need)

    for i in range(1, n):  # the first indicator's table: n periods for two areas
        for area in (home, region):
            DataPointFactory(
                indicator=indicators[0],
                area=area,
                period_label=f"{1950 + i}",
                period_start=datetime.date(1950 + i, 1, 1),
                period_end=datetime.date(1950 + i, 12, 31),
                value=Decimal(i),
                lower_limit=Decimal(i) - 1,
                upper_limit=Decimal(i) + 1,
            )

    services = []
    for i in range(2 * n):
        organisation = main if i < n else OrganisationFactory()
        if organisation is not main:
            main.partners.add(organisation)
        top = NeedFactory(name=f"Need {i}")
        child = NeedFactory(name=f"Need {i} detail", parent=top if i % 2 else common_need)
        service = ServiceFactory(
            organisation=organisation,
            needs=[common_need, child],
            audiences=[common_audience, AudienceFactory()],
            status=ServiceStatus.ENDED if i % 5 == 4 else ServiceStatus.ACTIVE,
            last_verified_on=timezone.localdate(),
            by_phone=i % 3 == 0,
        )
        # spread north of Central Milton Keynes, so distance searches have places to sort
        location = LocationFactory(latitude=Decimal("52.04") + Decimal(i) / 1000, longitude=Decimal("-0.75"))
        service.locations.add(location)
        ScheduleFactory(service=service, location=location)
        DatedSessionFactory(service=service, location=location)
        CostOption.objects.create(service=service, description="Materials", amount=Decimal("2.50"))
        Contact.objects.create(service=service, name=f"Contact {i}", email=f"c{i}@example.test")
        IndicatorServiceFactory(indicator=indicators[i % n], service=service)
        services.append(service)

    first = services[0]
    for indicator in indicators[1:]:
        IndicatorServiceFactory(indicator=indicator, service=first)
    for i in range(n):
        ScheduleFactory(
            service=first, weekday=i % 7, opens_at=datetime.time(8), closes_at=datetime.time(9 + i % 8)
        )
        DatedSessionFactory(service=first)
        ContextFactFactory().services.add(first)
    return {
        "service": first,
        "organisation": main,
        "need": common_need,
        "indicator": indicators[0],
        "audience": common_audience,
    }


def current(n: int) -> int:
    """Services not ended: every fifth of the 2n is."""
    return 2 * n - 2 * n // 5


SERVICE_LIST = reverse("initiatives:service_list")

# Ceilings measured with n=5, identical on SQLite and PostgreSQL; n=50 measured the same.
# Every page of result cards runs two queries more than its cards alone: the weekly hours and the
# sessions still to come, fetched once for all the cards, so each can say "Open now" or when it opens.
PAGES = [
    # needs with children, headline indicators, their home figures, comparisons, areas
    pytest.param(
        lambda d: reverse("initiatives:home"),
        lambda r: len(r.context["headline_indicators"]),
        lambda n: min(n, HomeView.FIGURES_SHOWN),
        6,
        id="home",
    ),
    # need tree, the ids of every result in order (kept in the cache for the next page, caching.py),
    # the page's rows, their weekly hours and sessions, and one grouped query per facet;
    # a repeat finds both in the cache
    pytest.param(
        lambda d: SERVICE_LIST,
        lambda r: r.context["paginator"].count,
        current,
        12,
        id="service-list",
    ),
    # as above, plus the chosen needs and audiences and a facet base per active filter
    pytest.param(
        lambda d: (
            f"{SERVICE_LIST}?need={d['need'].slug}&mode=in_person&mode=phone&audience={d['audience'].slug}"
        ),
        lambda r: r.context["paginator"].count,
        current,
        16,
        id="service-list-filtered",
    ),
    # as the list, plus two for the words (search/engine.py): the synonym groups (cached between requests,
    # so a first search only) and the misspelling check (one pg_trgm query; SQLite: its cached words)
    pytest.param(
        lambda d: f"{SERVICE_LIST}?q=example&sort=relevance",
        lambda r: r.context["paginator"].count,
        current,
        14,
        id="search",
    ),
    # an empty result also lists a few general advice services, with their needs, and counts the
    # search in the log of searches that found nothing (one upsert)
    pytest.param(
        lambda d: f"{SERVICE_LIST}?q=nothing+matches+this",
        lambda r: len(r.context["general_advice"]),
        lambda n: min(current(n), ServiceListView.GENERAL_ADVICE_SHOWN),
        17,
        id="search-no-results",
    ),
    # a postcode adds nothing: the distance to each service's nearest place is worked out in the
    # results query itself (geo.py), the postcode from the shipped sector file
    pytest.param(
        lambda d: f"{SERVICE_LIST}?postcode=MK9+3EP&sort=distance",
        lambda r: r.context["paginator"].count,
        current,
        12,
        id="postcode-nearest-first",
    ),
    # where, when and age filters: EXISTS subqueries in the same queries, plus one facet base
    pytest.param(
        lambda d: f"{SERVICE_LIST}?postcode=mk9&distance=10&day=monday&day=friday&age=30",
        lambda r: r.context["paginator"].count,
        current,  # every service has Monday hours
        12,
        id="where-and-when",
    ),
    # the needs and their children
    pytest.param(
        lambda d: reverse("initiatives:find_needs"),
        lambda r: len(r.context["needs"]),
        lambda n: 2 * n + 1,
        2,
        id="find-step-1",
    ),
    # the chosen needs (checked by the search form), then the audiences
    pytest.param(
        lambda d: f"{reverse('initiatives:find_about_you')}?need={d['need'].slug}",
        lambda r: len(r.context["audiences"]),
        lambda n: 2 * n + 1,
        3,
        id="find-step-2",
    ),
    # the service with eight prefetches, its indicators with figures, and its context facts
    pytest.param(
        lambda d: d["service"].get_absolute_url(),
        lambda r: len(r.context["evidence"]),
        lambda n: n,
        13,
        id="service",
    ),
    pytest.param(
        lambda d: d["need"].get_absolute_url(),
        lambda r: r.context["current_count"],
        current,
        15,
        id="need",
    ),
    pytest.param(
        lambda d: reverse("initiatives:organisation_list"),
        lambda r: len(r.context["organisations"]),
        lambda n: min(n + 1, 50),
        2,
        id="organisation-list",
    ),
    pytest.param(
        lambda d: d["organisation"].get_absolute_url(),
        lambda r: len(r.context["current_services"]) + len(r.context["past_services"]),
        lambda n: n,
        9,
        id="organisation",
    ),
    # indicators, their figures, comparisons, comparator areas, and the context facts
    pytest.param(
        lambda d: reverse("indicators:indicator_list"),
        lambda r: len(r.context["indicators"]),
        lambda n: n,
        5,
        id="indicator-list",
    ),
    pytest.param(
        lambda d: d["indicator"].get_absolute_url(),
        lambda r: len(r.context["table"].rows),
        lambda n: n + 1,
        8,
        id="indicator",
    ),
]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(("url", "shown", "expected", "ceiling"), PAGES)
def test_queries_do_not_grow_with_the_rows_shown(
    client, django_assert_max_num_queries, n, url, shown, expected, ceiling
):
    address = url(build_directory(n))

    with django_assert_max_num_queries(ceiling):
        response = client.get(address)

    assert response.status_code == 200
    assert shown(response) == expected(n), "the page must show the rows it was given"
