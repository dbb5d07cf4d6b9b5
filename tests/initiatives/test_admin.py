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
    DatedSession,
    Service,
)
from initiatives.publishing import PublicationState
from initiatives.services import ListingAction, listings_apply_action
from tests.factories import (
    AudienceFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    ScheduleFactory,
    ServiceFactory,
    StaffFactory,
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
ACTIONS = [
    pytest.param("publish_selected", ListingAction.PUBLISH, PublicationState.PUBLISHED, id="publish"),
    pytest.param("archive_selected", ListingAction.ARCHIVE, PublicationState.ARCHIVED, id="archive"),
]
LISTINGS = [
    pytest.param(OrganisationFactory, "organisation", id="organisation"),
    pytest.param(ServiceFactory, "service", id="service"),
]


def admin_url(model_name, view, *args):
    return reverse(f"admin:initiatives_{model_name}_{view}", args=args)


@pytest.fixture
def staff(client):
    user = StaffFactory()
    client.force_login(user)
    return user


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
    start = timezone.now() + datetime.timedelta(days=3)
    DatedSession.objects.create(
        service=service, location=location, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    listings_apply_action(listings=[service], action=ListingAction.VERIFY, actor=StaffFactory())
    return service


def test_admin_uses_the_directory_titles(client, staff):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert b"MK Directory staff admin" in response.content
    assert b"Curate the directory" in response.content


@pytest.mark.parametrize("model_name", [*MODELS, pytest.param("auditentry", id="auditentry")])
def test_changelist_and_search_load(client, staff, directory, model_name):
    assert client.get(admin_url(model_name, "changelist")).status_code == 200
    assert client.get(admin_url(model_name, "changelist"), {"q": "example"}).status_code == 200


@pytest.mark.parametrize("model_name", MODELS)
def test_add_page_loads(client, staff, model_name):
    assert client.get(admin_url(model_name, "add")).status_code == 200


@pytest.mark.parametrize("model_name", [*MODELS, pytest.param("auditentry", id="auditentry")])
def test_change_page_loads_with_its_inlines(client, staff, directory, model_name):
    record = apps.get_model("initiatives", model_name).objects.first()

    assert client.get(admin_url(model_name, "change", record.pk)).status_code == 200


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
    client, staff, django_assert_max_num_queries, count
):
    need, audience = NeedFactory(), AudienceFactory()
    ServiceFactory.create_batch(count, needs=[need], audiences=[audience])

    with django_assert_max_num_queries(10):
        response = client.get(admin_url("service", "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == count


@pytest.mark.parametrize("count", [5, 50])
def test_organisation_changelist_counts_services_without_a_query_each(
    client, staff, django_assert_max_num_queries, count
):
    for organisation in OrganisationFactory.create_batch(count, parent=OrganisationFactory()):
        ServiceFactory.create_batch(2, organisation=organisation)

    with django_assert_max_num_queries(8):
        response = client.get(admin_url("organisation", "changelist"))

    counts = sorted(organisation.service_count for organisation in response.context["cl"].result_list)
    assert counts == [0] + [2] * count


def post_action(client, model_name, action, records):
    return client.post(
        admin_url(model_name, "changelist"),
        {"action": action, "_selected_action": [record.pk for record in records]},
        follow=True,
    )


@pytest.mark.parametrize("factory, model_name", LISTINGS)
@pytest.mark.parametrize("action, audit_action, state", ACTIONS)
def test_state_actions_change_state_and_are_audited(
    client, staff, factory, model_name, action, audit_action, state
):
    records = factory.create_batch(2, publication_state=PublicationState.PENDING)
    untouched = factory(publication_state=PublicationState.PENDING)

    response = post_action(client, model_name, action, records)

    for record in records:
        record.refresh_from_db()
        assert record.publication_state == state
        assert AuditEntry.objects.filter(
            object_id=record.pk, content_type__model=model_name, action=audit_action, actor=staff
        ).exists()
    untouched.refresh_from_db()
    assert untouched.publication_state == PublicationState.PENDING
    assert f"2 {model_name}s {audit_action.label.lower()}." in [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("factory, model_name", LISTINGS)
def test_mark_as_checked_sets_today_and_a_review_six_months_on(client, staff, settings, factory, model_name):
    settings.REVIEW_PERIOD_MONTHS = 6
    record = factory(publication_state=PublicationState.PUBLISHED)
    today = timezone.localdate()

    post_action(client, model_name, "mark_selected_checked", [record])

    record.refresh_from_db()
    due = record.review_due_on
    assert record.last_verified_on == today
    assert (due.year * 12 + due.month) - (today.year * 12 + today.month) == 6
    assert due.day == today.day or (due.day < today.day and (due + datetime.timedelta(days=1)).day == 1)
    assert record.publication_state == PublicationState.PUBLISHED
    assert AuditEntry.objects.get(object_id=record.pk, content_type__model=model_name).action == "verify"


def test_an_incomplete_listing_gives_a_message_not_an_error_page(client, staff):
    complete = ServiceFactory(publication_state=PublicationState.DRAFT)
    incomplete = ServiceFactory(publication_state=PublicationState.DRAFT, description="")

    response = post_action(client, "service", "publish_selected", [complete, incomplete])

    assert response.status_code == 200
    message = str(next(iter(response.context["messages"])))
    assert "Nothing was changed" in message
    assert "description: This field cannot be blank." in message
    assert set(Service.objects.values_list("publication_state", flat=True)) == {PublicationState.DRAFT}
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "option, expected",
    [
        pytest.param("overdue", {"last week", "today"}, id="overdue"),
        pytest.param("soon", {"in a fortnight"}, id="soon"),
        pytest.param("not_due", {"in a year"}, id="not-due"),
        pytest.param("no_date", {"never"}, id="no-date"),
    ],
)
def test_review_due_filter(client, staff, option, expected):
    today = timezone.localdate()
    for name, due in [
        ("last week", today - datetime.timedelta(days=7)),
        ("today", today),
        ("in a fortnight", today + datetime.timedelta(days=14)),
        ("in a year", today + datetime.timedelta(days=365)),
        ("never", None),
    ]:
        ServiceFactory(name=name, review_due_on=due)

    response = client.get(admin_url("service", "changelist"), {"review": option})

    assert {service.name for service in response.context["cl"].result_list} == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        pytest.param({"in_use": "yes"}, {"Digital skills"}, id="used"),
        pytest.param({"in_use": "no"}, {"Find work", "Interview practice"}, id="unused"),
        pytest.param({"parent__id__exact": "PARENT"}, {"Digital skills", "Interview practice"}, id="parent"),
    ],
)
def test_need_filters(client, staff, query, expected):
    parent = NeedFactory(name="Find work")
    ServiceFactory(needs=[NeedFactory(name="Digital skills", parent=parent)])
    NeedFactory(name="Interview practice", parent=parent)
    query = {key: parent.pk if value == "PARENT" else value for key, value in query.items()}

    response = client.get(admin_url("need", "changelist"), query)

    assert {need.name for need in response.context["cl"].result_list} == expected


@pytest.mark.parametrize("url", [admin_url("service", "changelist"), admin_url("organisation", "add")])
def test_non_staff_users_are_sent_to_log_in(client, url):
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_audit_log_is_read_only(client, staff, directory):
    entry = AuditEntry.objects.get()
    changelist = client.get(admin_url("auditentry", "changelist"))

    assert client.get(admin_url("auditentry", "add")).status_code == 403
    assert client.post(admin_url("auditentry", "change", entry.pk), {"action": "forged"}).status_code == 403
    assert client.post(admin_url("auditentry", "delete", entry.pk), {"post": "yes"}).status_code == 403
    assert admin_url("auditentry", "add") not in changelist.content.decode()
    assert "delete_selected" not in changelist.content.decode()
    entry.refresh_from_db()
    assert entry.action == ListingAction.VERIFY


def test_audit_entry_links_to_its_record(client, staff, directory):
    entry = AuditEntry.objects.get()

    response = client.get(admin_url("auditentry", "change", entry.pk))

    assert admin_url("service", "change", directory.pk) in response.content.decode()


def test_organisation_admin_lists_partners_through_autocomplete(client, staff):
    organisation = OrganisationFactory()

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "initiatives",
            "model_name": "organisation",
            "field_name": "partners",
            "term": organisation.name,
        },
    )

    assert [result["text"] for result in response.json()["results"]] == [organisation.name]
