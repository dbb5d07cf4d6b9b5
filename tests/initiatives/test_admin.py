"""The staff admin for organisations, services, vocabularies and the audit log."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.urls import reverse
from django.utils import timezone

from initiatives.models import (
    AuditEntry,
    Contact,
    CostOption,
)
from initiatives.services import ListingAction, listings_apply_action
from tests.factories import (
    AudienceFactory,
    DatedSessionFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    ScheduleFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    pytest.param("need", id="need"),
    pytest.param("audience", id="audience"),
    pytest.param("organisation", id="organisation"),
    pytest.param("location", id="location"),
    pytest.param("service", id="service"),
]


def admin_url(model_name, view, *args):
    return reverse(f"admin:initiatives_{model_name}_{view}", args=args)


@pytest.fixture
def directory():
    """One of every initiatives record, so list and change pages render real rows."""
    parent_need = NeedFactory()
    location = LocationFactory(organisation=OrganisationFactory())
    service = ServiceFactory(needs=[NeedFactory(parent=parent_need)], audiences=[AudienceFactory()])
    service.locations.add(location)
    service.organisation.partners.add(OrganisationFactory(parent=service.organisation))
    ScheduleFactory(service=service, location=location)
    CostOption.objects.create(service=service, description="Lunch", amount="2.50")
    Contact.objects.create(service=service, name="Front desk", email="desk@example.test")
    DatedSessionFactory(
        service=service, location=location, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    listings_apply_action(listings=[service], action=ListingAction.VERIFY, actor=UserFactory(staff=True))
    return service


def test_admin_uses_the_directory_titles(staff_client):
    response = staff_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert b"MK Directory staff admin" in response.content
    assert b"Curate the directory" in response.content


@pytest.mark.parametrize("model_name", [*MODELS, pytest.param("auditentry", id="auditentry")])
def test_changelist_and_search_load(staff_client, directory, model_name):
    assert staff_client.get(admin_url(model_name, "changelist")).status_code == 200
    assert staff_client.get(admin_url(model_name, "changelist"), {"q": "example"}).status_code == 200


@pytest.mark.parametrize("model_name", MODELS)
def test_add_page_loads(staff_client, model_name):
    assert staff_client.get(admin_url(model_name, "add")).status_code == 200


@pytest.mark.parametrize("model_name", [*MODELS, pytest.param("auditentry", id="auditentry")])
def test_change_page_loads_with_its_inlines(staff_client, directory, model_name):
    record = apps.get_model("initiatives", model_name).objects.first()

    assert staff_client.get(admin_url(model_name, "change", record.pk)).status_code == 200


def is_form_field(field) -> bool:
    """Whether the admin form can edit the field (many-to-many with a through model goes in an inline)."""
    if not (getattr(field, "editable", False) and field.concrete and not field.auto_created):
        return False
    return not field.many_to_many or field.remote_field.through._meta.auto_created


@pytest.mark.parametrize(
    "model_admin",
    [
        pytest.param(model_admin, id=model._meta.label)
        for model, model_admin in admin.site._registry.items()
        if model_admin.fieldsets
    ],
)
def test_fieldsets_leave_no_editable_field_out(model_admin):
    editable = {field.name for field in model_admin.model._meta.get_fields() if is_form_field(field)}

    assert editable <= set(flatten_fieldsets(model_admin.fieldsets))


@pytest.mark.parametrize("count", [5, 50])
def test_service_changelist_queries_do_not_grow_with_services(
    staff_client, django_assert_max_num_queries, count
):
    need, audience = NeedFactory(), AudienceFactory()
    ServiceFactory.create_batch(count, needs=[need], audiences=[audience])

    with django_assert_max_num_queries(10):
        response = staff_client.get(admin_url("service", "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == count


@pytest.mark.parametrize("count", [5, 50])
def test_organisation_changelist_counts_services_without_a_query_each(
    staff_client, django_assert_max_num_queries, count
):
    for organisation in OrganisationFactory.create_batch(count, parent=OrganisationFactory()):
        ServiceFactory.create_batch(2, organisation=organisation)

    with django_assert_max_num_queries(8):
        response = staff_client.get(admin_url("organisation", "changelist"))

    counts = sorted(organisation.service_count for organisation in response.context["cl"].result_list)
    assert counts == [0] + [2] * count


@pytest.mark.parametrize(
    "option, expected",
    [
        pytest.param("overdue", {"last week", "today"}, id="overdue"),
        pytest.param("soon", {"in a fortnight"}, id="soon"),
        pytest.param("not_due", {"in a year"}, id="not-due"),
        pytest.param("no_date", {"never"}, id="no-date"),
    ],
)
def test_review_due_filter(staff_client, option, expected):
    today = timezone.localdate()
    for name, due in [
        ("last week", today - datetime.timedelta(days=7)),
        ("today", today),
        ("in a fortnight", today + datetime.timedelta(days=14)),
        ("in a year", today + datetime.timedelta(days=365)),
        ("never", None),
    ]:
        ServiceFactory(name=name, review_due_on=due)

    response = staff_client.get(admin_url("service", "changelist"), {"review": option})

    assert {service.name for service in response.context["cl"].result_list} == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        pytest.param({"in_use": "yes"}, {"Digital skills"}, id="used"),
        pytest.param({"in_use": "no"}, {"Find work", "Interview practice"}, id="unused"),
        pytest.param({"parent__id__exact": "PARENT"}, {"Digital skills", "Interview practice"}, id="parent"),
    ],
)
def test_need_filters(staff_client, query, expected):
    parent = NeedFactory(name="Find work")
    ServiceFactory(needs=[NeedFactory(name="Digital skills", parent=parent)])
    NeedFactory(name="Interview practice", parent=parent)
    query = {key: parent.pk if value == "PARENT" else value for key, value in query.items()}

    response = staff_client.get(admin_url("need", "changelist"), query)

    assert {need.name for need in response.context["cl"].result_list} == expected


@pytest.mark.parametrize("url", [admin_url("service", "changelist"), admin_url("organisation", "add")])
def test_non_staff_users_are_sent_to_log_in(client, url):
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_audit_log_is_read_only(staff_client, directory):
    entry = AuditEntry.objects.get()
    changelist = staff_client.get(admin_url("auditentry", "changelist"))

    assert staff_client.get(admin_url("auditentry", "add")).status_code == 403
    assert (
        staff_client.post(admin_url("auditentry", "change", entry.pk), {"action": "forged"}).status_code
        == 403
    )
    assert staff_client.post(admin_url("auditentry", "delete", entry.pk), {"post": "yes"}).status_code == 403
    assert admin_url("auditentry", "add") not in changelist.content.decode()
    assert "delete_selected" not in changelist.content.decode()
    entry.refresh_from_db()
    assert entry.action == ListingAction.VERIFY


def test_audit_entry_links_to_its_record(staff_client, directory):
    entry = AuditEntry.objects.get()

    response = staff_client.get(admin_url("auditentry", "change", entry.pk))

    assert admin_url("service", "change", directory.pk) in response.content.decode()


def test_organisation_admin_lists_partners_through_autocomplete(staff_client):
    organisation = OrganisationFactory()

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "initiatives",
            "model_name": "organisation",
            "field_name": "partners",
            "term": organisation.name,
        },
    )

    assert [result["text"] for result in response.json()["results"]] == [organisation.name]
