"""One-line fields hold one line: a line break, a tab or another control character is refused with a
message wherever it is typed or imported, and nothing is written. Letters of any language, spaces and
emoji are welcome.
"""

import json
import re
import shutil
from io import StringIO

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from indicators.importing import parse_data_points
from indicators.models import Area, ContextFact, DataPoint, Indicator, Source
from initiatives.accounts.services import invitation_send
from initiatives.demo.loader import DATA_DIR, DemoDataError, load_demo
from initiatives.editing.models import Revision
from initiatives.editing.snapshots import ORGANISATION_SPEC, SERVICE_SPEC
from initiatives.enquiries.models import Enquiry
from initiatives.feedback.models import ProblemReport
from initiatives.models import Audience, Location, MembershipRole, Need, Organisation, Service
from initiatives.opendata.resources import (
    AudienceResource,
    LocationResource,
    NeedResource,
    OrganisationResource,
    ServiceResource,
)
from initiatives.text_rules import CONTROL_CHARACTER_MESSAGE, LINE_BREAK_MESSAGE, single_line
from tests.editing.forms_helper import read_form
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    IndicatorFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    ServiceFactory,
    SourceFactory,
    editor_of,
)

BROKEN = "Tea\nToast"
WELCOME = "Siôn's Café ☕"  # Welsh, an accent, an apostrophe and an emoji: all fine on one line
ONE_LINE = "must be on one line"


def one_line_fields(model) -> list[str]:
    """The model's fields that carry the one-line rule."""
    return [field.name for field in model._meta.concrete_fields if single_line in field.validators]


# The rule ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("Tea\nToast", LINE_BREAK_MESSAGE),
        ("Tea\r\nToast", LINE_BREAK_MESSAGE),
        ("Tea\rToast", LINE_BREAK_MESSAGE),
        ("Tea\u2028Toast", LINE_BREAK_MESSAGE),
        ("Tea\x0bToast", LINE_BREAK_MESSAGE),
        ("Tea\tToast", CONTROL_CHARACTER_MESSAGE),
        ("Tea\x00", CONTROL_CHARACTER_MESSAGE),
        ("Tea\x1b[31m", CONTROL_CHARACTER_MESSAGE),
        ("Tea\x7f", CONTROL_CHARACTER_MESSAGE),
    ],
    ids=[
        "newline",
        "windows",
        "carriage-return",
        "line-separator",
        "vertical-tab",
        "tab",
        "nul",
        "escape",
        "delete",
    ],
)
def test_line_breaks_tabs_and_control_characters_are_refused(text, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        single_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "Caffi Siôn a'r Ŵyn",
        "Zoë's Café – Crêpes",
        "Tea & Toast ☕🎉",
        "Two  spaces",
        "👩🏽‍🍳 cookery",
        "Łódź ünïcödé",
    ],
    ids=["welsh", "accents", "symbols-emoji", "spaces", "joined-emoji", "polish"],
)
def test_letters_of_any_language_spaces_and_emoji_are_welcome(text):
    single_line(text)


# The manage area: every one-line field of the listing forms, and of their sets of rows -------------


@pytest.fixture
def service(db):
    return ServiceFactory(name="Tea club", slug="tea-club")


@pytest.fixture
def editor_client(client, service):
    client.force_login(editor_of(service.organisation, role=MembershipRole.MANAGER))
    return client


def _manage_cases():
    for spec, url in ((ORGANISATION_SPEC, "organisations/{org}"), (SERVICE_SPEC, "services/{service}")):
        own = [name for name in spec.fields if name in one_line_fields(spec.model)]
        rows = [
            f"{child.name}-0-{name}"
            for child in spec.children
            for name in child.fields
            if name in one_line_fields(child.model)
        ]
        for name in own + rows:
            yield pytest.param(f"/manage/{url}/edit/", name, id=f"{spec.model.__name__}-{name}")


@pytest.mark.parametrize("url, name", list(_manage_cases()))
def test_manage_forms_refuse_a_line_break_in_every_one_line_field(editor_client, service, url, name):
    url = url.format(org=service.organisation.slug, service=service.slug)
    form = read_form(editor_client.get(url)).set(name, BROKEN)

    response = editor_client.post(url, form.as_post())

    assert response.status_code == 400
    # A postcode is read by its own parser first, which refuses anything that is not a postcode.
    assert ("postcode" if name.endswith("postcode") else ONE_LINE) in response.content.decode()
    assert not Revision.objects.exists()


def test_manage_forms_take_any_language_and_emoji(editor_client, service):
    url = f"/manage/services/{service.slug}/edit/"
    form = read_form(editor_client.get(url)).set("name", WELCOME).set("summary", "Te a thost 🍞 i bawb.")

    response = editor_client.post(url, form.as_post())

    assert response.status_code == 302
    assert Revision.objects.get().data["name"] == WELCOME


# Public forms --------------------------------------------------------------------------------------


ENQUIRY = {"name": "Sam", "email": "sam@example.test", "phone": "", "message": "Hi\nthere", "consent": "on"}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": "Sam\nSmith"}, ONE_LINE),
        ({"name": "Sam\tSmith"}, "hidden control characters"),
        ({"email": "", "phone": "01908\n123456"}, ONE_LINE),
    ],
    ids=["name-line-break", "name-tab", "phone-line-break"],
)
def test_the_enquiry_form_refuses_a_name_or_phone_on_two_lines(client, service, change, message):
    response = client.post(reverse("enquiries:service_enquiry", args=[service.slug]), {**ENQUIRY, **change})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Enquiry.objects.exists()


def test_the_enquiry_form_keeps_a_welsh_name_and_a_message_of_many_lines(client, service):
    response = client.post(
        reverse("enquiries:service_enquiry", args=[service.slug]), {**ENQUIRY, "name": "Siân Wyn"}
    )

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.name, enquiry.message) == ("Siân Wyn", "Hi\nthere")


def test_the_problem_report_form_refuses_an_email_address_on_two_lines(client, service):
    data = {"text": "The phone number\nis wrong.", "contact_email": "sam@example.test\nBcc: x@y.test"}

    response = client.post(reverse("feedback:service_report", args=[service.slug]), data)

    assert response.status_code == 400
    assert not ProblemReport.objects.exists()


@pytest.mark.django_db
def test_an_invited_person_cannot_give_a_name_on_two_lines(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(
            organisation=OrganisationFactory(), email="new@example.test", role="editor", invited_by=None
        )
    client.get(re.search(r"http://[^/]+(/accounts/invitation/[\w-]+/)", mail.outbox[0].body).group(1))
    form = read_form(client.get("/accounts/invitation/"))
    form.set("name", "Nia\nJones").set("new_password1", "tea-and-toast-42").set(
        "new_password2", "tea-and-toast-42"
    )

    response = client.post("/accounts/invitation/", form.as_post())

    assert response.status_code == 400
    assert ONE_LINE in response.content.decode()
    assert not get_user_model().objects.filter(email="new@example.test").exists()


# The admin: every one-line field of each add form, and of the rows added with it -------------------


@pytest.fixture
def related(db):
    """Records an add form must point at, by primary key."""
    return {
        "organisation": OrganisationFactory().pk,
        "source": SourceFactory().pk,
        "indicator": IndicatorFactory().pk,
        "area": AreaFactory(home=True).pk,
        "need": NeedFactory().pk,
    }


# What a valid new record needs, and the rows each page can add with it.
ADMIN_ADD = {
    Organisation: {"name": "Tea club", "slug": "tea-club", "description": "Tea."},
    Service: {
        "name": "Tea club",
        "slug": "tea-club",
        "organisation": "{organisation}",
        "summary": "Tea.",
        "description": "Tea.",
    },
    Location: {"name": "Tea hall"},
    Need: {"name": "Tea", "slug": "tea", "description": "Tea."},
    Audience: {"name": "Tea drinkers", "slug": "tea-drinkers", "description": "Tea."},
    Source: {"publisher": "Tea Office", "title": "Tea survey"},
    Area: {"name": "Teaside", "code": "E06000999", "kind": "local_authority"},
    Indicator: {
        "title": "Tea drunk",
        "slug": "tea-drunk",
        "definition": "Cups.",
        "why_it_matters": "Tea.",
        "value_type": "count",
        "source": "{source}",
    },
    ContextFact: {
        "title": "Tea drunk",
        "slug": "tea-drunk",
        "value": "5",
        "display_value": "five cups",
        "source": "{source}",
    },
    DataPoint: {
        "indicator": "{indicator}",
        "area": "{area}",
        "period_label": "August 2025",
        "period_start": "2025-08-01",
        "period_end": "2025-08-31",
        "value": "5",
    },
}
ADMIN_ROWS = {
    Organisation: {"locations": {"name": "Tea hall"}},
    Service: {
        "cost_options": {"description": "Cup"},
        "contacts": {"name": "Sam"},
        "schedules": {"weekday": "0", "opens_at": "09:00", "closes_at": "17:00"},
        "sessions": {
            "starts_at_0": "2030-01-01",
            "starts_at_1": "10:00",
            "ends_at_0": "2030-01-01",
            "ends_at_1": "12:00",
        },
    },
    Indicator: {"indicatorneed_set": {"need": "{need}"}},
    DataPoint: {"stated_comparisons": {"comparator": "{area}", "relation": "higher"}},
}


def _admin_url(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"


def _admin_form(client, model, related, rows=None):
    """The add form as a browser would send it, filled in validly, with one of each row if asked."""
    page = client.get(_admin_url(model))
    form = read_form(page, f"{model._meta.model_name}_form")
    for name, value in ADMIN_ADD[model].items():
        form.set(name, value.format(**related))
    for prefix, values in (rows or {}).items():
        form.set(f"{prefix}-TOTAL_FORMS", "1")
        for name, value in values.items():
            form.set(f"{prefix}-0-{name}", value.format(**related))
    return form


def _admin_cases():
    for model in ADMIN_ADD:
        for name in one_line_fields(model):
            yield pytest.param(model, name, id=f"{model.__name__}-{name}")


@pytest.mark.parametrize("model, name", list(_admin_cases()))
def test_admin_add_forms_refuse_a_line_break_in_every_one_line_field(staff_client, related, model, name):
    before = model.objects.count()
    form = _admin_form(staff_client, model, related).set(name, BROKEN)

    response = staff_client.post(_admin_url(model), form.as_post())

    assert response.status_code == 200
    assert ONE_LINE in response.content.decode()
    assert model.objects.count() == before


@pytest.mark.parametrize(
    "model, prefix",
    [(model, prefix) for model, rows in ADMIN_ROWS.items() for prefix in rows],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_admin_rows_added_with_a_record_refuse_a_tab_in_every_one_line_field(
    staff_client, related, model, prefix
):
    row_model = getattr(model, prefix).rel.related_model
    rows = {prefix: ADMIN_ROWS[model][prefix]}
    shown = dict(_admin_form(staff_client, model, related, rows).fields)
    names = [name for name in one_line_fields(row_model) if f"{prefix}-__prefix__-{name}" in shown]
    assert names, f"the page shows none of {row_model.__name__}'s one-line fields"
    for name in names:
        form = _admin_form(staff_client, model, related, rows).set(f"{prefix}-0-{name}", "Tea\tToast")

        response = staff_client.post(_admin_url(model), form.as_post())

        assert response.status_code == 200
        assert "hidden control characters" in response.content.decode(), name
    assert not row_model.objects.exists()


@pytest.mark.parametrize("model", list(ADMIN_ADD), ids=lambda model: model.__name__)
def test_admin_add_forms_take_any_language_and_emoji(staff_client, related, model):
    form = _admin_form(staff_client, model, related)
    for name in one_line_fields(model):
        form.set(name, "Siôn ☕")

    response = staff_client.post(_admin_url(model), form.as_post())

    assert response.status_code == 302, response.content.decode()[:3000]


# Imports -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "resource, factory, column",
    [
        (NeedResource, NeedFactory, "name"),
        (AudienceResource, AudienceFactory, "name"),
        (OrganisationResource, OrganisationFactory, "name"),
        (LocationResource, LocationFactory, "postcode"),
        (ServiceResource, ServiceFactory, "summary"),
    ],
    ids=["need", "audience", "organisation", "place", "service"],
)
@pytest.mark.django_db
def test_a_csv_import_refuses_a_line_break_in_a_row_and_writes_nothing(resource, factory, column):
    record = factory()
    dataset = resource().export()
    dataset.dict = [{**row, column: BROKEN} for row in dataset.dict]

    result = resource().import_data(tablib.Dataset().load(dataset.csv, format="csv"), raise_errors=False)

    assert result.has_validation_errors()
    [row] = result.invalid_rows
    assert ONE_LINE in " ".join(row.error_dict[column])
    record.refresh_from_db()
    assert getattr(record, column) != BROKEN


def test_the_admin_csv_import_names_the_row_with_a_line_break(staff_client):
    ServiceFactory(slug="tea-club", name="Tea club")
    csv = ServiceResource().export().csv.replace("Tea club", '"Tea\nclub"')

    response = staff_client.post(
        reverse("admin:initiatives_service_import"),
        {"import_file": SimpleUploadedFile("services.csv", csv.encode()), "format": "0", "resource": "0"},
    )

    page = response.content.decode()
    assert ONE_LINE in page
    assert "process_import" not in page  # nothing to confirm while a row has errors
    assert Service.objects.get(slug="tea-club").name == "Tea club"


def _feed_service(**changes):
    return {
        "id": "svc-1",
        "name": "Tea club",
        "description": "Tea for all.\r\nMore detail.",
        "organization": {"id": "org-1", "name": "Tea Org", "description": "Tea."},
        **changes,
    }


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"name": "Tea\nclub"}, "name: This must be on one line"),
        (
            {"organization": {"id": "org-1", "name": "Tea\tOrg", "description": "Tea."}},
            "must not contain tabs",
        ),
        ({"fees_description": "£1\n£2"}, "cost_description: This must be on one line"),
    ],
    ids=["service-name", "organisation-name", "cost"],
)
@pytest.mark.django_db
def test_an_open_referral_import_skips_a_record_on_two_lines_and_says_why(tmp_path, changes, problem):
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"contents": [_feed_service(**changes)]}))
    out, err = StringIO(), StringIO()

    call_command("import_oruk", str(path), source="tea-feed", stdout=out, stderr=err)

    assert "1 skipped" in out.getvalue()
    assert problem in err.getvalue()
    assert not Service.objects.exists()


@pytest.mark.django_db
def test_an_open_referral_summary_is_the_first_line_of_the_description(tmp_path):
    path = tmp_path / "page.json"
    path.write_text(json.dumps([_feed_service(description="Tea\tfor all.\r\nMore detail.")]))

    call_command("import_oruk", str(path), source="tea-feed", stdout=StringIO(), stderr=StringIO())

    assert Service.objects.get().summary == "Tea for all."


@pytest.mark.django_db
def test_a_figures_import_names_the_row_whose_period_is_on_two_lines():
    IndicatorFactory(slug="tea-drunk")
    AreaFactory(home=True, code="E06000042")
    text = (
        "indicator,area_code,period_label,period_start,period_end,value\n"
        'tea-drunk,E06000042,"August\n2025",2025-08-01,2025-08-31,5\n'
    )

    parsed = parse_data_points(text)

    assert [str(error) for error in parsed.errors] == [
        "Row 2: period_label: This must be on one line: take out the line break."
    ]
    assert not DataPoint.objects.exists()


@pytest.mark.django_db
def test_the_demo_loader_names_a_name_on_two_lines_and_loads_nothing(tmp_path):
    data_dir = shutil.copytree(DATA_DIR, tmp_path / "data")
    services = data_dir / "services.toml"
    services.write_text(
        services.read_text().replace('name = "Support into work"', 'name = "Support\\ninto work"')
    )

    with pytest.raises(DemoDataError, match='field "name": This must be on one line'):
        load_demo(data_dir=data_dir)

    assert not Service.objects.exists()
