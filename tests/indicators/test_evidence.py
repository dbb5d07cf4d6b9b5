"""The staff evidence page: each need's figures and judgements beside its current services; who may see it."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.choices import AreaKind, ComparisonRelation, Polarity, ValueType
from indicators.models import StatedComparison
from initiatives.models import ServiceStatus
from initiatives.publishing import PublicationState
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    DataPointFactory,
    IndicatorFactory,
    IndicatorNeedFactory,
    NeedFactory,
    OrganisationFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EVIDENCE = reverse("indicators:evidence")
EVIDENCE_CSV = reverse("indicators:evidence_csv")


@pytest.fixture
def picture():
    """Find work (with Digital skills below it) and Money, their services, and earnings worse than the UK.

    Current published services: A (work; in person; young people), B (skills; phone and online;
    young people and carers), C (work and skills; in person; no audience). Not counted: an ended
    service, a draft and one from a draft organisation.
    """
    work = NeedFactory(name="Find work", slug="find-work", position=1)
    skills = NeedFactory(name="Digital skills", slug="digital-skills", parent=work)
    money = NeedFactory(name="Money", slug="money", position=2)
    young, carers = (
        AudienceFactory(name="Young people", position=1),
        AudienceFactory(name="Carers", position=2),
    )
    ServiceFactory(name="A", needs=[work], audiences=[young], in_person=True)
    ServiceFactory(
        name="B", needs=[skills], audiences=[young, carers], in_person=False, by_phone=True, online=True
    )
    ServiceFactory(name="C", needs=[work, skills], in_person=True)
    ServiceFactory(name="Ended", needs=[work], status=ServiceStatus.ENDED)
    ServiceFactory(
        name="Past end date", needs=[work], ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    ServiceFactory(name="Draft", needs=[work, money], publication_state=PublicationState.DRAFT)
    ServiceFactory(
        name="Hidden organisation",
        needs=[money],
        organisation=OrganisationFactory(publication_state=PublicationState.DRAFT),
    )

    earnings = IndicatorFactory(
        title="Earnings growth", value_type=ValueType.CHANGE, polarity=Polarity.HIGHER_IS_BETTER
    )
    uk = AreaFactory(name="United Kingdom", code="K02000001", kind=AreaKind.UNITED_KINGDOM)
    for area, value in ((AreaFactory(home=True), "17.6"), (uk, "21.6")):
        DataPointFactory(indicator=earnings, area=area, period_label="2021 to 2024", value=Decimal(value))
    IndicatorNeedFactory(indicator=earnings, need=work)
    IndicatorNeedFactory(indicator=earnings, need=money)
    IndicatorNeedFactory(indicator=IndicatorFactory(publication_state=PublicationState.DRAFT), need=money)
    return {"work": work, "skills": skills, "money": money}


def rows_by_need(response) -> dict:
    return {row.need.name: row for row in response.context["evidence"].rows}


def test_counts_follow_the_need_tree_and_count_only_current_published_services(staff_client, picture):
    response = staff_client.get(EVIDENCE)

    assert response.status_code == 200
    table = response.context["evidence"]
    assert [(row.need.name, row.depth) for row in table.rows] == [
        ("Find work", 0),
        ("Digital skills", 1),
        ("Money", 0),
    ]
    assert table.modes == ["In person", "By phone", "Online"]
    assert table.audiences == ["Young people", "Carers", "No audience set"]
    rows = rows_by_need(response)
    # Find work: A, B (through Digital skills) and C, each once
    assert (rows["Find work"].services, rows["Find work"].mode_counts, rows["Find work"].by_audience) == (
        3,
        [2, 1, 1],
        [2, 1, 1],
    )
    assert (rows["Digital skills"].services, rows["Digital skills"].mode_counts) == (2, [1, 1, 1])
    assert rows["Digital skills"].by_audience == [1, 1, 1]
    assert (rows["Money"].services, rows["Money"].mode_counts, rows["Money"].by_audience) == (
        0,
        [0, 0, 0],
        [0, 0, 0],
    )


def test_each_need_shows_its_published_figures_with_their_judgement(staff_client, picture):
    response = staff_client.get(EVIDENCE)
    rows = rows_by_need(response)
    page = response.content.decode()

    assert [indicator.title for indicator in rows["Find work"].indicators] == ["Earnings growth"]
    assert [indicator.title for indicator in rows["Money"].indicators] == ["Earnings growth"], (
        "drafts left out"
    )
    assert rows["Digital skills"].indicators == []
    assert "Lower than United Kingdom (21.6%): worse, because a higher figure is better." in page


def test_a_need_with_worse_figures_and_thin_support_is_flagged(staff_client, picture):
    response = staff_client.get(EVIDENCE)
    rows = rows_by_need(response)

    assert rows["Money"].is_possible_gap
    assert not rows["Find work"].is_possible_gap, "three services meet it"
    assert not rows["Digital skills"].is_possible_gap, "no figures say it is worse"
    money_row = re.search(
        r"<tr>\s*<th scope=\"row\"[^>]*><a href=\"/needs/money/\">.*?</tr>", response.content.decode(), re.S
    )
    assert "Possible gap" in money_row.group(0)
    assert money_row.group(0).count('class="number gap"') == 4, (
        "no services, none in person, by phone or online"
    )


def test_csv_download_gives_the_same_figures_and_counts(staff_client, picture):
    response = staff_client.get(EVIDENCE_CSV)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="evidence-by-need.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_need = {row["need"]: row for row in rows}
    assert list(by_need) == ["Find work", "Digital skills", "Money"]
    work = by_need["Find work"]
    assert (work["current services"], work["services in person"], work["services by phone"]) == (
        "3",
        "2",
        "1",
    )
    assert (work["services for: Young people"], work["services for: No audience set"]) == ("2", "1")
    assert by_need["Digital skills"]["part of"] == "Find work"
    assert "Earnings growth: 17.6% in 2021 to 2024." in by_need["Money"]["local figures and judgements"]
    assert "worse, because a higher figure is better" in by_need["Money"]["local figures and judgements"]
    assert (by_need["Money"]["judgements showing worse"], by_need["Money"]["possible gap"]) == ("1", "yes")


@pytest.mark.parametrize("url", [EVIDENCE, EVIDENCE_CSV], ids=["page", "csv"])
def test_signed_out_visitors_are_sent_to_the_staff_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


@pytest.mark.parametrize("url", [EVIDENCE, EVIDENCE_CSV], ids=["page", "csv"])
def test_signed_in_residents_and_editors_are_refused(client, url):
    client.force_login(UserFactory())

    assert client.get(url).status_code == 403


def build_needs(count: int) -> None:
    """count top-level needs, each with a child, a linked indicator (with a comparison) and two services."""
    home, region = AreaFactory(home=True), AreaFactory(kind=AreaKind.REGION)
    audience = AudienceFactory()
    for number in range(count):
        need = NeedFactory()
        child = NeedFactory(parent=need)
        indicator = IndicatorFactory()
        point = DataPointFactory(indicator=indicator, area=home)
        StatedComparison.objects.create(
            data_point=point, comparator=region, relation=ComparisonRelation.LOWER
        )
        IndicatorNeedFactory(indicator=indicator, need=need)
        ServiceFactory(needs=[need], audiences=[audience])
        ServiceFactory(needs=[child], by_phone=number % 2 == 0)


@pytest.mark.parametrize("count", [3, 30])
def test_evidence_page_queries_do_not_grow_with_needs_or_services(
    staff_client, django_assert_max_num_queries, count
):
    build_needs(count)

    # session and user; needs; audiences; indicators, figures, comparisons, comparator areas;
    # their need links; one aggregate for totals and modes; one grouped by audience
    with django_assert_max_num_queries(11):
        response = staff_client.get(EVIDENCE)

    assert len(response.context["evidence"].rows) == 2 * count
