"""One audited way to publish from the staff admin, and an audit entry for every admin save.

The publication state cannot be typed into a change form or a list: it changes only through the
listing service (initiatives.services.listings_apply_action), from the list's actions or the change
form's buttons, which record who did it. Every save of a listing in the admin says who changed which
fields, and which inline rows, when.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.urls import reverse

from initiatives.models import AuditEntry, Contact, Location
from initiatives.publishing import PublicationState, Publishable
from initiatives.services import ListingAction, listings_apply_action
from tests.editing.forms_helper import read_form
from tests.factories import (
    PUBLISHABLE_LISTINGS,
    ContactFactory,
    LocationFactory,
    OrganisationFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BUTTONS = [
    pytest.param(PublicationState.DRAFT, "publish", PublicationState.PUBLISHED, id="publish-a-draft"),
    pytest.param(PublicationState.PUBLISHED, "withdraw", PublicationState.PENDING, id="withdraw"),
    pytest.param(PublicationState.PUBLISHED, "archive", PublicationState.ARCHIVED, id="archive"),
    pytest.param(PublicationState.ARCHIVED, "publish", PublicationState.PUBLISHED, id="publish-again"),
]


def admin_url(app_label, model_name, view, *args):
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


def change_form(client, app_label, model_name, record):
    """The record's admin change form, as the browser would send it back unchanged."""
    response = client.get(admin_url(app_label, model_name, "change", record.pk))
    return read_form(response, f"{model_name}_form")


def audit_entries(record):
    return AuditEntry.objects.filter(object_id=record.pk, content_type__model=record._meta.model_name)


@pytest.fixture
def viewer(db):
    """A member of staff who may look at listings but not change them."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    return user


# Publication state is never typed in -----------------------------------------------------------


@pytest.mark.parametrize("factory, app_label, model_name", PUBLISHABLE_LISTINGS)
def test_posting_a_publication_state_in_the_change_form_does_not_change_it(
    staff_client, factory, app_label, model_name
):
    record = factory(publication_state=PublicationState.DRAFT)
    form = change_form(staff_client, app_label, model_name, record).set("publication_state", "published")

    response = staff_client.post(admin_url(app_label, model_name, "change", record.pk), form.as_post())

    assert response.status_code == 302, "the rest of the form saved"
    record.refresh_from_db()
    assert record.publication_state == PublicationState.DRAFT
    assert audit_entries(record).get().detail == {"fields": [], "inlines": []}


def test_a_service_added_in_the_admin_starts_as_a_draft_whatever_is_posted(staff_client):
    organisation = OrganisationFactory()
    add_page = staff_client.get(admin_url("initiatives", "service", "add"))
    form = read_form(add_page, "service_form")
    form.set("name", "Job club").set("slug", "job-club").set("organisation", str(organisation.pk))
    form.set("summary", "Help to find work.").set("description", "Weekly help to find work.")

    staff_client.post(
        admin_url("initiatives", "service", "add"), form.set("publication_state", "published").as_post()
    )

    service = organisation.services.get(slug="job-club")
    assert service.publication_state == PublicationState.DRAFT
    entry = audit_entries(service).get()
    assert entry.action == "admin_added"
    assert {"name", "slug", "organisation"} <= set(entry.detail["fields"])


def test_no_admin_lets_staff_edit_the_publication_state_of_a_listing(staff_user):
    request = RequestFactory().get("/admin/")
    request.user = staff_user
    listing_admins = [
        model_admin for model, model_admin in admin.site._registry.items() if issubclass(model, Publishable)
    ]

    assert {model_admin.opts.model_name for model_admin in listing_admins} == {
        "organisation",
        "service",
        "indicator",
        "contextfact",
    }
    for model_admin in listing_admins:
        assert "publication_state" in model_admin.get_readonly_fields(request), model_admin
        assert "publication_state" not in model_admin.list_editable, model_admin


# Every admin save is audited -------------------------------------------------------------------


def test_an_admin_save_writes_one_audit_entry_naming_the_changed_fields_and_rows(staff_client, staff_user):
    service = ServiceFactory(name="Job club")
    contact = ContactFactory(service=service, name="Front desk")
    form = change_form(staff_client, "initiatives", "service", service)
    form.set("name", "Job club for all").set("contacts-0-name", "Reception")

    staff_client.post(admin_url("initiatives", "service", "change", service.pk), form.as_post())

    entry = audit_entries(service).get()
    assert (entry.action, entry.actor) == ("admin_changed", staff_user)
    assert entry.detail == {
        "fields": ["name"],
        "inlines": [{"changed": "contact", "row": "Reception", "fields": ["name"]}],
    }
    assert Contact.objects.get(pk=contact.pk).name == "Reception"


def test_an_admin_save_records_inline_rows_added_and_deleted(staff_client):
    organisation = OrganisationFactory()
    old_hall = LocationFactory(organisation=organisation, name="Old Hall")
    form = change_form(staff_client, "initiatives", "organisation", organisation)
    form.check("locations-0-DELETE", "on").set("locations-TOTAL_FORMS", "2")
    form.set("locations-1-name", "New Hall").set("locations-1-town", "Milton Keynes")
    form.set("locations-1-organisation", str(organisation.pk))

    staff_client.post(admin_url("initiatives", "organisation", "change", organisation.pk), form.as_post())

    entry = audit_entries(organisation).get()
    assert entry.detail == {
        "fields": [],
        "inlines": [{"added": "location", "row": "New Hall"}, {"deleted": "location", "row": "Old Hall"}],
    }
    assert list(organisation.locations.values_list("name", flat=True)) == ["New Hall"]
    assert not Location.objects.filter(pk=old_hall.pk).exists()


# Publishing, withdrawing and archiving ---------------------------------------------------------


@pytest.mark.parametrize("factory, app_label, model_name", PUBLISHABLE_LISTINGS)
@pytest.mark.parametrize("before, action, after", BUTTONS)
def test_the_change_form_buttons_change_the_state_and_audit_it(
    staff_client, staff_user, factory, app_label, model_name, before, action, after
):
    record = factory(publication_state=before)
    change_page = staff_client.get(admin_url(app_label, model_name, "change", record.pk)).content.decode()
    assert f'name="action" value="{action}"' in change_page

    response = staff_client.post(
        admin_url(app_label, model_name, "publication", record.pk), {"action": action}
    )

    assert response.url == admin_url(app_label, model_name, "change", record.pk)
    record.refresh_from_db()
    assert record.publication_state == after
    entry = audit_entries(record).get()
    assert (entry.action, entry.actor) == (action, staff_user)
    assert entry.detail == {"state_before": before, "state_after": after}


@pytest.mark.parametrize(
    "state, offered",
    [
        pytest.param(PublicationState.DRAFT, ["publish", "archive"], id="draft"),
        pytest.param(PublicationState.PENDING, ["publish", "archive"], id="pending"),
        pytest.param(PublicationState.PUBLISHED, ["withdraw", "archive"], id="published"),
        pytest.param(PublicationState.ARCHIVED, ["publish"], id="archived"),
    ],
)
def test_the_change_form_offers_only_the_buttons_that_change_something(staff_client, state, offered):
    service = ServiceFactory(publication_state=state)

    response = staff_client.get(admin_url("initiatives", "service", "change", service.pk))

    assert [action for action, _ in response.context["publication_buttons"]] == offered


def test_the_withdraw_action_takes_only_published_listings_off_the_site(staff_client):
    published, draft = ServiceFactory(), ServiceFactory(publication_state=PublicationState.DRAFT)

    staff_client.post(
        admin_url("initiatives", "service", "changelist"),
        {"action": "withdraw_selected", "_selected_action": [published.pk, draft.pk]},
    )

    published.refresh_from_db()
    draft.refresh_from_db()
    assert (published.publication_state, draft.publication_state) == (
        PublicationState.PENDING,
        PublicationState.DRAFT,
    )
    assert [entry.action for entry in AuditEntry.objects.all()] == [ListingAction.WITHDRAW]


def test_an_unknown_publication_action_changes_nothing(staff_client):
    service = ServiceFactory(publication_state=PublicationState.DRAFT)

    response = staff_client.post(
        admin_url("initiatives", "service", "publication", service.pk), {"action": "verify"}
    )

    assert response.status_code == 400
    service.refresh_from_db()
    assert service.publication_state == PublicationState.DRAFT
    assert not AuditEntry.objects.exists()


def test_the_buttons_need_the_forms_csrf_token(staff_user):
    service = ServiceFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)

    response = client.post(
        admin_url("initiatives", "service", "publication", service.pk), {"action": "archive"}
    )

    assert response.status_code == 403
    service.refresh_from_db()
    assert service.publication_state == PublicationState.PUBLISHED


def test_the_buttons_take_only_posts(staff_client):
    service = ServiceFactory()

    response = staff_client.get(
        admin_url("initiatives", "service", "publication", service.pk), {"action": "archive"}
    )

    assert response.status_code == 405


# Without permission to change, nothing changes ----------------------------------------------------


@pytest.mark.parametrize("factory, app_label, model_name", PUBLISHABLE_LISTINGS)
@pytest.mark.parametrize("action", ["publish", "withdraw", "archive"])
def test_staff_who_may_only_view_cannot_use_the_buttons(
    client, viewer, factory, app_label, model_name, action
):
    record = factory(
        publication_state=PublicationState.PENDING if action == "publish" else PublicationState.PUBLISHED
    )
    before = record.publication_state
    client.force_login(viewer)

    response = client.post(admin_url(app_label, model_name, "publication", record.pk), {"action": action})

    assert response.status_code == 403
    record.refresh_from_db()
    assert record.publication_state == before
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("factory, app_label, model_name", PUBLISHABLE_LISTINGS)
def test_staff_who_may_only_view_see_no_buttons_and_cannot_use_the_actions(
    client, viewer, factory, app_label, model_name
):
    record = factory(publication_state=PublicationState.PUBLISHED)
    client.force_login(viewer)

    change_page = client.get(admin_url(app_label, model_name, "change", record.pk))
    client.post(
        admin_url(app_label, model_name, "changelist"),
        {"action": "withdraw_selected", "_selected_action": [record.pk]},
    )

    assert change_page.status_code == 200
    assert "publication_buttons" not in change_page.context
    assert 'name="action" value="withdraw"' not in change_page.content.decode()
    record.refresh_from_db()
    assert record.publication_state == PublicationState.PUBLISHED
    assert not AuditEntry.objects.exists()


def test_withdrawing_leaves_a_listing_that_is_not_published_as_it_is(staff_user):
    archived = ServiceFactory(publication_state=PublicationState.ARCHIVED)

    changed = listings_apply_action(listings=[archived], action=ListingAction.WITHDRAW, actor=staff_user)

    archived.refresh_from_db()
    assert (changed, archived.publication_state) == (0, PublicationState.ARCHIVED)
    assert not AuditEntry.objects.exists()


def test_deleting_a_listing_in_the_admin_is_audited_one_by_one_or_in_bulk(staff_client, staff_user):
    one, two, three = (OrganisationFactory(name=name) for name in ("Gone One", "Gone Two", "Gone Three"))

    staff_client.post(admin_url("initiatives", "organisation", "delete", one.pk), {"post": "yes"})
    staff_client.post(
        admin_url("initiatives", "organisation", "changelist"),
        {"action": "delete_selected", "_selected_action": [two.pk, three.pk], "post": "yes"},
    )

    entries = AuditEntry.objects.filter(action="admin_deleted")
    assert sorted(entries.values_list("object_repr", flat=True)) == ["Gone One", "Gone Three", "Gone Two"]
    assert {entry.actor for entry in entries} == {staff_user}
