"""The service search at /services/: values of one parameter widen, parameters narrow.

Each option's count must be the number of results a resident gets by ticking it.
"""

import contextlib
import datetime
import re
import signal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from initiatives.models import ServiceKind, ServiceStatus
from initiatives.public.views import ServiceListView
from tests.factories import AudienceFactory, NeedFactory, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

URL = reverse("initiatives:service_list")
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

NO_FLAGS = {
    "in_person": False,
    "by_phone": False,
    "online": False,
    "is_free": False,
    "access_self_referral": False,
    "access_referral": False,
    "access_drop_in": False,
    "access_booking": False,
}


def service(name, **fields):
    """A published service with only the flags given, so each test says what it relies on."""
    return ServiceFactory(name=name, **{**NO_FLAGS, **fields})


def search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def names(client, **params) -> list[str]:
    """Every result's name in the order shown; the results must fit on one page."""
    response = search(client, **params)
    assert not response.context["page_obj"].has_next(), "use fewer services or follow the pages"
    return [found.name for found in response.context["page_obj"].object_list]


def option(response, facet_name, value):
    facet = next(facet for facet in response.context["facets"] if facet.name == facet_name)
    return next(choice for choice in facet.options if choice.value == value)


def label_text(response, name, value) -> str:
    """What a resident reads in the label of a filter's checkbox, tags and spacing removed."""
    html = response.content.decode()
    box = f'<input type="checkbox" name="{re.escape(name)}" value="{re.escape(value)}"'
    match = re.search(rf"<label>{box}[^>]*>(.*?)</label>", html, re.S)
    assert match, f"no label for {name}={value}"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


# ---- each parameter alone -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        pytest.param("clinic", ["CV clinic"], id="word-in-name"),
        pytest.param("CLINIC", ["CV clinic"], id="any-case"),
        pytest.param("interview", ["CV clinic"], id="word-in-summary"),
        pytest.param("laptop", ["Digital drop-in"], id="word-in-description"),
        pytest.param("foundation", ["Grant advice"], id="word-in-organisation-name"),
        pytest.param("visas", ["Grant advice"], id="word-in-need-name"),
        pytest.param("cv help", ["CV clinic"], id="every-word-must-match"),
        pytest.param(
            "cv laptop", ["CV clinic", "Digital drop-in"], id="words-in-different-services-match-the-most"
        ),
        pytest.param("  ", ["CV clinic", "Digital drop-in", "Grant advice"], id="blank-matches-all"),
    ],
)
def test_q_matches_every_word_typed(client, q, expected):
    service("CV clinic", summary="Help with your interview and CV.", description="Bring a copy.")
    service("Digital drop-in", summary="Computers.", description="Borrow a laptop for the day.")
    service(
        "Grant advice",
        summary="Money.",
        description="Paperwork.",
        organisation=OrganisationFactory(name="Example Foundation"),
        needs=[NeedFactory(name="Work visas")],
    )

    assert names(client, q=q) == expected


def test_need_matches_services_tagged_with_it(client):
    work, money = NeedFactory(), NeedFactory()
    service("Job club", needs=[work])
    service("Debt advice", needs=[money])
    service("Both", needs=[work, money])
    service("Untagged")

    assert names(client, need=work.slug) == ["Both", "Job club"]


def test_needs_and_groups_staff_add_or_remove_can_be_chosen_or_are_refused_at_once(client):
    """The form checks the needs and groups chosen against a copy kept in the cache: a change by
    staff must reach it on the next request."""
    work = NeedFactory()
    service("Job club", needs=[work])
    assert names(client, need=work.slug) == ["Job club"]  # the vocabulary is in the cache now

    money, carers = NeedFactory(), AudienceFactory()
    service("Debt advice", needs=[money], audiences=[carers])
    assert names(client, need=money.slug, audience=carers.slug) == ["Debt advice"]

    work.delete()
    refused = client.get(URL, {"need": work.slug})
    assert refused.status_code == 400
    assert f"We do not have a need called “{work.slug}”" in refused.content.decode()


def test_parent_need_matches_services_tagged_with_its_children_and_grandchildren(client):
    work = NeedFactory(name="Find work")
    skills = NeedFactory(name="Digital skills", parent=work)
    coding = NeedFactory(name="Learn to code", parent=skills)
    service("Job club", needs=[work])
    service("Computer class", needs=[skills])
    service("Code club", needs=[coding])
    service("Debt advice", needs=[NeedFactory()])

    assert names(client, need=work.slug) == ["Code club", "Computer class", "Job club"]
    assert names(client, need=skills.slug) == ["Code club", "Computer class"]
    assert names(client, need=coding.slug) == ["Code club"]


def test_service_tagged_with_a_parent_and_its_child_is_listed_once(client):
    work = NeedFactory()
    skills = NeedFactory(parent=work)
    service("Both levels", needs=[work, skills])

    response = search(client, need=work.slug)

    assert response.context["paginator"].count == 1
    assert option(response, "need", work.slug).count == 1


def test_audience_matches_services_for_that_group(client):
    women, carers = AudienceFactory(), AudienceFactory()
    service("Women into work", audiences=[women])
    service("Carers' café", audiences=[carers])
    service("Open to all")

    assert names(client, audience=women.slug) == ["Women into work"]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        pytest.param("in_person", ["Face to face"], id="in-person"),
        pytest.param("phone", ["Helpline"], id="phone"),
        pytest.param("online", ["Website"], id="online"),
    ],
)
def test_mode_matches_services_offering_it(client, mode, expected):
    service("Face to face", in_person=True)
    service("Helpline", by_phone=True)
    service("Website", online=True)

    assert names(client, mode=mode) == expected


def test_free_keeps_only_free_services(client):
    service("Free course", is_free=True)
    service("Paid course", is_free=False)

    assert names(client, free="on") == ["Free course"]
    assert names(client) == ["Free course", "Paid course"]


@pytest.mark.parametrize(
    ("access", "expected"),
    [
        pytest.param("self_referral", ["Call us"], id="self-referral"),
        pytest.param("referral", ["Referred"], id="referral"),
        pytest.param("drop_in", ["Walk in"], id="drop-in"),
        pytest.param("booking", ["Book ahead"], id="booking"),
    ],
)
def test_access_matches_services_started_that_way(client, access, expected):
    service("Call us", access_self_referral=True)
    service("Referred", access_referral=True)
    service("Walk in", access_drop_in=True)
    service("Book ahead", access_booking=True)

    assert names(client, access=access) == expected


@pytest.mark.parametrize("kind", [pytest.param(kind.value, id=kind.value) for kind in ServiceKind])
def test_kind_matches_only_that_kind(client, kind):
    for each in ServiceKind:
        service(f"A {each.label.lower()}", kind=each)

    found = search(client, kind=kind).context["page_obj"].object_list

    assert [item.kind for item in found] == [kind]


def test_sort_by_name_is_alphabetical(client):
    for name in ["Cherry", "Apple", "Banana"]:
        service(name)

    assert names(client, sort="name") == ["Apple", "Banana", "Cherry"]


def test_sort_by_name_ignores_letter_case(client):
    for name in ["Cherry", "apple", "Banana"]:
        service(name)

    assert names(client, sort="name") == ["apple", "Banana", "Cherry"]


def test_sort_by_checked_puts_the_most_recently_checked_first(client):
    today = timezone.localdate()
    service("Checked last year", last_verified_on=today - datetime.timedelta(days=365))
    service("Never checked", last_verified_on=None)
    service("Checked yesterday", last_verified_on=today - datetime.timedelta(days=1))

    assert names(client, sort="checked") == ["Checked yesterday", "Checked last year", "Never checked"]


@pytest.mark.parametrize(
    "params",
    [pytest.param({}, id="default"), pytest.param({"sort": "relevance"}, id="sort-relevance")],
)
def test_name_match_comes_before_a_description_only_match(client, params):
    service("Alpha skills", summary="Learning.", description="Includes CV writing.")
    service("Zulu CV workshop", summary="Learning.", description="Writing.")
    service("Middle course", summary="Make a CV.", description="Writing.")

    assert names(client, q="cv", **params) == ["Zulu CV workshop", "Middle course", "Alpha skills"]


def test_sort_by_name_ignores_relevance(client):
    service("Alpha skills", description="Includes CV writing.")
    service("Zulu CV workshop")

    assert names(client, q="cv", sort="name") == ["Alpha skills", "Zulu CV workshop"]


# ---- ended services -------------------------------------------------------------------------


@pytest.fixture
def ended_and_current():
    today = timezone.localdate()
    service("Running", status=ServiceStatus.ACTIVE)
    service("Starting soon", status=ServiceStatus.PLANNED)
    service("Closed for now", status=ServiceStatus.TEMPORARILY_CLOSED)
    service("Marked ended", status=ServiceStatus.ENDED)
    service("Ended yesterday", ends_on=today - datetime.timedelta(days=1))
    service("Ends today", ends_on=today)


def test_ended_services_are_hidden_by_default(client, ended_and_current):
    assert names(client) == ["Closed for now", "Ends today", "Running", "Starting soon"]


def test_include_ended_shows_ended_services_too(client, ended_and_current):
    assert names(client, include_ended="on") == [
        "Closed for now",
        "Ended yesterday",
        "Ends today",
        "Marked ended",
        "Running",
        "Starting soon",
    ]


def test_ended_services_are_not_counted_unless_included(client):
    need = NeedFactory()
    service("Running", needs=[need], kind=ServiceKind.EVENT)
    service("Over", needs=[need], kind=ServiceKind.EVENT, status=ServiceStatus.ENDED)

    hidden = search(client)
    shown = search(client, include_ended="on")

    assert option(hidden, "need", need.slug).count == 1
    assert option(hidden, "kind", "event").count == 1
    assert option(shown, "need", need.slug).count == 2
    assert option(shown, "kind", "event").count == 2


# ---- combinations ---------------------------------------------------------------------------


def test_two_needs_combine_with_or(client):
    work, money, health = NeedFactory(), NeedFactory(), NeedFactory()
    service("Job club", needs=[work])
    service("Debt advice", needs=[money])
    service("Walking group", needs=[health])

    assert names(client, need=[work.slug, money.slug]) == ["Debt advice", "Job club"]


def test_two_audiences_combine_with_or(client):
    women, carers, young = AudienceFactory(), AudienceFactory(), AudienceFactory()
    service("Women into work", audiences=[women])
    service("Carers' café", audiences=[carers])
    service("Youth club", audiences=[young])

    assert names(client, audience=[women.slug, carers.slug]) == ["Carers' café", "Women into work"]


@pytest.mark.parametrize(
    ("param", "values", "expected"),
    [
        pytest.param("mode", ["phone", "online"], ["Helpline", "Website"], id="mode"),
        pytest.param("access", ["drop_in", "booking"], ["Helpline", "Website"], id="access"),
        pytest.param("kind", ["event", "project"], ["Helpline", "Website"], id="kind"),
    ],
)
def test_two_values_of_one_flag_combine_with_or(client, param, values, expected):
    service("Face to face", in_person=True, access_referral=True, kind=ServiceKind.SERVICE)
    service("Helpline", by_phone=True, access_drop_in=True, kind=ServiceKind.EVENT)
    service("Website", online=True, access_booking=True, kind=ServiceKind.PROJECT)

    assert names(client, **{param: values}) == expected


def test_different_parameters_combine_with_and(client):
    work, money = NeedFactory(), NeedFactory()
    women = AudienceFactory()
    service("Match", needs=[work], audiences=[women], by_phone=True, is_free=True)
    service("Wrong need", needs=[money], audiences=[women], by_phone=True, is_free=True)
    service("Wrong audience", needs=[work], by_phone=True, is_free=True)
    service("Wrong mode", needs=[work], audiences=[women], in_person=True, is_free=True)
    service("Not free", needs=[work], audiences=[women], by_phone=True)

    found = names(client, need=work.slug, audience=women.slug, mode="phone", free="on")

    assert found == ["Match"]


def test_or_within_and_across(client):
    work, money = NeedFactory(), NeedFactory()
    service("Work by phone", needs=[work], by_phone=True)
    service("Work online", needs=[work], online=True)
    service("Work in person", needs=[work], in_person=True)
    service("Money by phone", needs=[money], by_phone=True)

    found = names(client, need=work.slug, mode=["phone", "online"])

    assert found == ["Work by phone", "Work online"]


def test_q_combines_with_filters(client):
    women = AudienceFactory()
    service("CV clinic for women", audiences=[women])
    service("CV clinic")
    service("Coffee morning", audiences=[women])

    assert names(client, q="cv", audience=women.slug) == ["CV clinic for women"]


@pytest.mark.parametrize("sort", ["relevance", "name", "checked"])
def test_every_parameter_at_once_with_each_sort(client, sort):
    work = NeedFactory(slug="find-work")
    skills = NeedFactory(slug="digital-skills", parent=work)
    women = AudienceFactory(slug="women")
    wanted = {"needs": [skills], "audiences": [women], "by_phone": True, "is_free": True}
    service(
        "Phone CV event", kind=ServiceKind.EVENT, access_booking=True, status=ServiceStatus.ENDED, **wanted
    )
    service("Phone CV service", kind=ServiceKind.SERVICE, access_booking=True, **wanted)
    service("Phone CV project", kind=ServiceKind.PROJECT, access_booking=True, **wanted)
    service("Phone CV drop-in", kind=ServiceKind.EVENT, access_drop_in=True, **wanted)

    found = names(
        client,
        q="phone cv",
        need="find-work",
        audience="women",
        mode=["phone", "online"],
        free="on",
        access=["booking", "referral"],
        kind=["event", "service"],
        include_ended="on",
        sort=sort,
    )

    assert sorted(found) == ["Phone CV event", "Phone CV service"]


@contextlib.contextmanager
def deadline(seconds):
    """Fail, rather than hang the whole run, when the block takes longer than `seconds`."""

    def give_up(signum, frame):
        raise TimeoutError(f"still running after {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_loop_in_the_need_tree_does_not_hang_the_search(client):
    first = NeedFactory(slug="first")
    second = NeedFactory(slug="second", parent=first)
    first.parent = second
    first.save()
    service("Job club", needs=[first])

    with deadline(2):
        response = client.get(URL)

    assert response.status_code == 200


# ---- option counts --------------------------------------------------------------------------


@pytest.fixture
def varied_directory():
    """A dozen services that differ in every filtered respect."""
    work = NeedFactory(name="Find work", slug="find-work")
    skills = NeedFactory(name="Digital skills", slug="digital-skills", parent=work)
    money = NeedFactory(name="Money", slug="money")
    women = AudienceFactory(name="Women", slug="women")
    carers = AudienceFactory(name="Carers", slug="carers")
    AudienceFactory(name="Nobody yet", slug="nobody-yet")
    past = timezone.localdate() - datetime.timedelta(days=30)
    rows = [
        ("Job club", [work], [women], {"in_person": True, "is_free": True, "access_drop_in": True}),
        ("Work coaching", [work], [], {"by_phone": True, "access_referral": True}),
        ("Computer class", [skills], [women, carers], {"in_person": True, "online": True, "is_free": True}),
        ("Code club", [skills], [], {"online": True, "access_booking": True, "kind": "event"}),
        ("Skills and money", [skills, money], [carers], {"by_phone": True, "is_free": True}),
        ("Debt advice", [money], [carers], {"by_phone": True, "access_self_referral": True}),
        ("Budget workshop", [money], [women], {"in_person": True, "kind": "event", "is_free": True}),
        ("Careers fair", [work], [women], {"in_person": True, "kind": "event", "ends_on": past}),
        ("Old project", [money], [carers], {"online": True, "kind": "project", "status": "ended"}),
        ("Untagged helpline", [], [], {"by_phone": True, "access_self_referral": True, "is_free": True}),
        ("Work programme", [work], [carers], {"in_person": True, "kind": "programme"}),
    ]
    for name, needs, audiences, fields in rows:
        service(name, needs=needs, audiences=audiences, **fields)


STATES = [
    pytest.param({}, id="nothing-chosen"),
    pytest.param({"mode": "phone"}, id="one-mode"),
    pytest.param({"mode": ["phone", "online"]}, id="two-modes"),
    pytest.param({"need": "find-work", "free": "on"}, id="parent-need-and-free"),
    pytest.param({"need": ["digital-skills", "money"], "audience": "carers"}, id="two-needs-and-audience"),
    pytest.param({"q": "work"}, id="words"),
    pytest.param({"include_ended": "on", "kind": "event"}, id="ended-included-and-kind"),
    pytest.param({"access": ["drop_in", "booking"], "audience": "women"}, id="two-routes-and-audience"),
]


@pytest.mark.usefixtures("pages_drawn_afresh")  # reads the context of a repeated request
@pytest.mark.parametrize("state", STATES)
def test_each_option_count_is_what_ticking_it_gives(client, varied_directory, state):
    """Follow every count: the option alone, with every other filter kept, gives that many."""
    page = search(client, **state)
    checked = 0
    for facet in page.context["facets"]:
        for choice in facet.options:
            followed = search(client, **{**state, facet.name: choice.value})
            assert followed.context["paginator"].count == choice.count, (facet.name, choice.value)
            checked += 1
    assert checked >= 15  # needs, audiences, modes, free, routes and kinds were all offered


def test_counts_reflect_the_other_active_filters(client, varied_directory):
    everything = search(client)
    by_phone = search(client, mode="phone")

    assert option(everything, "need", "money").count == 3  # Skills and money, Debt advice, Budget workshop
    assert option(by_phone, "need", "money").count == 2  # Skills and money, Debt advice
    assert option(everything, "audience", "women").count == 3
    assert option(by_phone, "audience", "women").count == 0
    assert option(everything, "free", "on").count == 5
    assert option(by_phone, "free", "on").count == 2


def test_ticked_option_keeps_its_siblings_counts(client, varied_directory):
    """Ticking 'by phone' must not zero 'online': a resident can still widen the search."""
    by_phone = search(client, mode="phone")

    assert option(by_phone, "mode", "phone").selected
    assert option(by_phone, "mode", "online").count == 2  # Computer class, Code club
    assert option(by_phone, "mode", "in_person").count == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"need": "find-work"}, "Find work (2 results)", id="parent-need"),
        pytest.param({"need": "digital-skills"}, "Digital skills (1 result)", id="child"),
        pytest.param({"audience": "women"}, "Women (0 results)", id="audience-none"),
        pytest.param({"mode": "online"}, "Online (2 results)", id="sibling-mode"),
        pytest.param({"free": "on"}, "Free of charge (2 results)", id="free"),
    ],
)
def test_label_shows_the_count_a_resident_will_get(client, varied_directory, params, expected):
    """With 'by phone' ticked, each label's count is what ticking that box shows."""
    page = search(client, mode="phone")
    followed = search(client, **{"mode": "phone", **params})

    [(name, value)] = params.items()
    assert label_text(page, name, value) == expected
    assert f"({followed.context['paginator'].count} result" in expected


def test_need_options_show_the_tree_with_children_under_parents(client, varied_directory):
    need_options = [(choice.value, choice.depth) for choice in option_list(search(client), "need")]

    work = need_options.index(("find-work", 0))
    assert need_options[work + 1] == ("digital-skills", 1)
    assert ("money", 0) in need_options


def option_list(response, facet_name):
    return next(facet for facet in response.context["facets"] if facet.name == facet_name).options


# ---- pagination -----------------------------------------------------------------------------


def test_page_links_keep_the_filters(client):
    work = NeedFactory(slug="find-work")
    women = AudienceFactory(slug="women")
    for number in range(25):
        service(f"Service {number:02}", needs=[work], audiences=[women], online=True)
    service("Not online", needs=[work], audiences=[women], in_person=True)
    filters = {"need": "find-work", "audience": "women", "mode": "online", "q": "service"}

    first = search(client, **filters)
    next_link = re.search(r'<a href="([^"]+)" rel="next"', first.content.decode())
    assert next_link, "page 1 of 2 links to the next page"
    href = next_link.group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(href).query)

    assert query == {
        "need": ["find-work"],
        "audience": ["women"],
        "mode": ["online"],
        "q": ["service"],
        "page": ["2"],
    }
    second = client.get(URL + "?" + urlsplit(href).query)
    assert second.status_code == 200
    assert second.context["page_obj"].number == 2
    assert [found.name for found in second.context["page_obj"].object_list] == [
        f"Service {number:02}" for number in range(20, 25)
    ]


def test_page_links_keep_repeated_values(client):
    for number in range(25):
        service(f"Service {number:02}", by_phone=number % 2 == 0, online=number % 2 == 1)

    first = search(client, mode=["phone", "online"])
    html = first.content.decode()
    href = re.search(r'<a href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")

    assert parse_qs(urlsplit(href).query)["mode"] == ["phone", "online"]


def test_removing_a_filter_keeps_the_others(client, varied_directory):
    page = search(client, need="money", mode="phone", page="1")
    chosen = {choice.label: choice.remove_query for choice in page.context["active_filters"]}

    without_money = parse_qs(urlsplit(chosen["Money"]).query)
    assert without_money == {"mode": ["phone"]}


# ---- nothing found --------------------------------------------------------------------------


def test_no_results_names_general_advice_services(client):
    advice = NeedFactory(slug=settings.GENERAL_ADVICE_NEED_SLUG)
    service("Citizens advice line", needs=[advice])
    service("Knitting circle")

    page = search(client, q="astrophysics")
    html = page.content.decode()

    assert page.context["paginator"].count == 0
    assert "Citizens advice line" in html
    assert "Knitting circle" not in html
    assert "remove a filter" in html


def test_no_results_offers_a_few_general_advice_services_and_a_link_to_the_rest(client):
    advice = NeedFactory(slug=settings.GENERAL_ADVICE_NEED_SLUG)
    for number in range(ServiceListView.GENERAL_ADVICE_SHOWN + 3):
        service(f"Advice line {number:02}", needs=[advice])

    page = search(client, q="astrophysics")
    html = page.content.decode()

    shown = re.findall(r"Advice line \d\d</a>", html)
    assert len(shown) == ServiceListView.GENERAL_ADVICE_SHOWN
    link = f"{URL}?need={advice.slug}"
    assert f'href="{link}"' in html
    assert len(names(client, need=advice.slug)) == ServiceListView.GENERAL_ADVICE_SHOWN + 3
