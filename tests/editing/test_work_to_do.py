"""Staff's one queue: where they land after signing in, what each section lists, approving several
changes at once, and who is kept out."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from initiatives.editing.models import RevisionStatus
from initiatives.enquiries.models import EnquiryStatus
from initiatives.models import Service
from tests.factories import (
    EnquiryFactory,
    MembershipFactory,
    OrganisationFactory,
    ProblemReportFactory,
    RevisionFactory,
    ServiceFactory,
    UnmatchedSearchFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WORK = reverse("editing:work_to_do")


def sign_in(client, username, password="test-password-123", **extra):
    return client.post(
        reverse("login") + extra.get("query", ""), {"username": username, "password": password}
    )


def ticked(*revisions) -> dict:
    return {"revisions": [revision.pk for revision in revisions]}


# Where people land after signing in -----------------------------------------------------------------


def test_staff_land_on_work_to_do_after_signing_in(client, staff_user):
    response = sign_in(client, "staff-member")

    assert response["Location"] == WORK
    assert "<h1>Work to do</h1>" in client.get(WORK).content.decode()


def test_an_editor_lands_on_their_organisations(client, manager_a):
    assert sign_in(client, "manager-a")["Location"] == "/manage/"


@pytest.mark.parametrize(
    ("next_address", "lands_on"),
    [
        pytest.param("/manage/enquiries/", "/manage/enquiries/", id="an-address-on-this-site"),
        pytest.param("https://elsewhere.example/", WORK, id="another-site-is-ignored"),
    ],
)
def test_staff_asked_to_sign_in_go_back_where_they_were_going(client, staff_user, next_address, lands_on):
    response = sign_in(client, "staff-member", query=f"?next={next_address}")

    assert response["Location"] == lands_on


def test_staff_find_work_to_do_from_the_manage_area_and_the_admin(staff_client):
    assert f'href="{WORK}"' in staff_client.get("/manage/").content.decode()
    admin_home = staff_client.get(reverse("admin:index")).content.decode()
    assert f'href="{WORK}"' in admin_home
    assert f'href="{reverse("indicators:evidence")}"' in admin_home


def test_editors_are_not_offered_work_to_do(manager_client):
    assert WORK not in manager_client.get("/manage/").content.decode()


# What each section lists ----------------------------------------------------------------------------


def test_changes_waiting_for_review_are_listed_oldest_first_with_their_review_page(
    staff_client, service_a, revision_b
):
    older = revision_b
    newer = RevisionFactory(service=service_a, changes={"summary": "Newer"})
    RevisionFactory(service=service_a, status=RevisionStatus.APPROVED, decided_at=timezone.now())

    page = staff_client.get(WORK).content.decode()

    assert "Changes waiting for review (2)" in page
    assert page.index("Beta food bank") < page.index("Alpha job club")
    for revision in (older, newer):
        assert f'href="{reverse("admin:editing_revision_change", args=[revision.pk])}"' in page
        assert f'<input type="checkbox" name="revisions" value="{revision.pk}"' in page
    assert "Approve selected</button>" in page


def test_open_problem_reports_are_listed_and_resolved_ones_are_not(staff_client, service_a):
    report = ProblemReportFactory(service=service_a, text="The phone number is wrong.")
    ProblemReportFactory(service=service_a, text="Dealt with", resolved_at=timezone.now())

    page = staff_client.get(WORK).content.decode()

    assert "Problems reported by residents (1)" in page
    assert "The phone number is wrong." in page and "Dealt with" not in page
    assert f'href="{reverse("feedback:manage_detail", args=[report.pk])}"' in page


def test_listings_due_for_a_check_are_listed(staff_client, org_b, freeze_today):
    freeze_today(datetime.date(2025, 6, 16))
    due = ServiceFactory(name="Overdue advice", review_due_on=datetime.date(2025, 6, 1))
    ServiceFactory(name="Fresh advice", review_due_on=datetime.date(2025, 12, 1))
    org_b.review_due_on = datetime.date(2025, 5, 1)
    org_b.save()

    page = staff_client.get(WORK).content.decode()

    assert "Listings due for a check (2)" in page
    assert "Overdue advice" in page and "due on 1 June 2025" in page
    assert "Fresh advice" not in page
    assert f'href="{reverse("admin:initiatives_service_change", args=[due.pk])}"' in page
    assert "Beta Trust" in page and "Due on 1 May 2025" in page


def test_messages_staff_must_answer_or_pass_on_are_listed(staff_client, service_a, manager_a):
    no_editor = ServiceFactory(name="Orphan club", organisation=OrganisationFactory(name="No Editors Ltd"))
    to_pass_on = EnquiryFactory(service=no_editor)
    to_directory = EnquiryFactory(service=None)
    EnquiryFactory(service=service_a, message="Alpha's editors read this")
    EnquiryFactory(service=no_editor, closed=True)
    EnquiryFactory(service=no_editor, status=EnquiryStatus.IN_PROGRESS)

    page = staff_client.get(WORK).content.decode()

    assert "Messages for staff to answer or pass on (3)" in page
    assert "About Orphan club, for No Editors Ltd: pass it on" in page
    assert "To the directory" in page
    for enquiry in (to_pass_on, to_directory):
        assert f'href="{reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])}"' in page
    assert "Alpha job club" not in page
    assert "Test Resident" not in page, "no personal details on the queue"


def test_this_months_searches_that_found_nothing_are_listed_once_each_with_their_total(
    staff_client, freeze_today
):
    freeze_today(datetime.date(2025, 6, 16))
    UnmatchedSearchFactory(words="forklift licence", times=5, day=datetime.date(2025, 6, 16))
    for day, times in [(2, 3), (9, 4), (16, 2)]:
        UnmatchedSearchFactory(words="sign language", times=times, day=datetime.date(2025, 6, day))
    UnmatchedSearchFactory(words="last month", times=50, day=datetime.date(2025, 5, 31))

    page = staff_client.get(WORK).content.decode()

    assert "Searches this month that found nothing (2)" in page
    assert page.count("sign language") == 1
    assert page.index("sign language") < page.index("forklift licence"), "the most frequent first"
    assert "9 searches since 2 June 2025, the last on 16 June 2025" in page
    assert "5 searches since 16 June 2025, the last on 16 June 2025" in page
    assert "last month" not in page


def test_more_than_twenty_searches_link_to_this_months_totals_in_the_admin(staff_client):
    UnmatchedSearchFactory.create_batch(21)

    page = staff_client.get(WORK).content.decode()

    changelist = reverse("admin:initiatives_unmatchedsearch_changelist")
    assert f'<a href="{changelist}?period=this-month">See all 21 in the staff admin</a>' in page


def test_an_empty_queue_says_so_and_the_evidence_and_admin_are_linked(staff_client):
    page = staff_client.get(WORK).content.decode()

    assert "No changes are waiting for review." in page
    assert "No problem reports are open." in page
    assert "Every search this month found something." in page
    assert f'href="{reverse("indicators:evidence")}"' in page
    assert f'href="{reverse("admin:index")}"' in page


def test_a_long_queue_shows_the_first_twenty_and_links_to_the_rest(staff_client, service_a):
    for _ in range(21):
        ProblemReportFactory(service=service_a)

    page = staff_client.get(WORK).content.decode()

    assert "Problems reported by residents (21)" in page
    assert "Showing 20 of 21." in page
    changelist = reverse("admin:feedback_problemreport_changelist")
    assert f'<a href="{changelist}?status=open">See all 21 in the staff admin</a>' in page


@pytest.mark.parametrize("items", [1, 25], ids=["one-of-each", "more-than-a-page-of-each"])
def test_the_page_runs_a_fixed_number_of_queries(
    staff_client, freeze_today, items, django_assert_max_num_queries
):
    freeze_today(datetime.date(2025, 6, 16))
    organisation = OrganisationFactory(review_due_on=datetime.date(2025, 6, 1))
    for _ in range(items):
        service = ServiceFactory(organisation=organisation, review_due_on=datetime.date(2025, 6, 1))
        RevisionFactory(service=service, changes={"summary": "x"})
        ProblemReportFactory(service=service)
        EnquiryFactory(service=service)
        UnmatchedSearchFactory()
    OrganisationFactory.create_batch(items, review_due_on=datetime.date(2025, 6, 1))

    # Session and user, then for each of six queues its first twenty and, when there are more, a count.
    with django_assert_max_num_queries(14):
        assert staff_client.get(WORK).status_code == 200


# Approving several changes at once ------------------------------------------------------------------


def test_approve_selected_publishes_each_change_and_says_so(staff_client, service_a, revision_b):
    mine = RevisionFactory(service=service_a, changes={"summary": "Alpha's new summary."})

    response = staff_client.post(WORK, ticked(mine, revision_b), follow=True)

    assert response.redirect_chain == [(WORK, 302)]
    assert "2 approved and published." in response.content.decode()
    assert Service.objects.get(pk=service_a.pk).summary == "Alpha's new summary."
    assert Service.objects.get(pk=revision_b.service.pk).summary == "Beta's own new summary."
    assert "Changes waiting for review (0)" in response.content.decode()


def test_approve_selected_says_which_were_not_approved_and_why(
    staff_client, service_a, revision_b, staff_user
):
    waiting = RevisionFactory(service=service_a, changes={"summary": "Alpha's new summary."})
    staff_client.post(WORK, ticked(revision_b), follow=True)  # approved already, say in another tab

    page = staff_client.post(WORK, ticked(waiting, revision_b), follow=True).content.decode()

    assert "1 approved and published." in page
    assert "Not approved: Beta food bank: This change was already approved." in page
    waiting.refresh_from_db()
    assert waiting.status == RevisionStatus.APPROVED and waiting.reviewer == staff_user


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({}, "Choose at least one change to approve", id="none-ticked"),
        pytest.param({"revisions": ["not-a-number"]}, "Choose changes from the list", id="made-up"),
        pytest.param({"revisions": ["999999"]}, "One of the changes you chose no longer exists", id="gone"),
    ],
)
def test_approve_selected_with_nothing_usable_ticked_explains(staff_client, revision_b, data, message):
    response = staff_client.post(WORK, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    revision_b.refresh_from_db()
    assert revision_b.status == RevisionStatus.PENDING


def test_approve_selected_needs_the_forms_security_token(staff_user, revision_b):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)

    assert client.post(WORK, ticked(revision_b)).status_code == 403
    revision_b.refresh_from_db()
    assert revision_b.status == RevisionStatus.PENDING


def test_staff_who_do_not_review_changes_see_the_queue_but_cannot_approve(client, revision_b):
    viewer = UserFactory(is_staff=True)
    client.force_login(viewer)

    page = client.get(WORK).content.decode()
    assert "Beta food bank" in page and 'name="revisions"' not in page
    assert client.post(WORK, ticked(revision_b)).status_code == 403

    viewer.user_permissions.add(Permission.objects.get(codename="approve_revision"))
    client.force_login(UserFactory._meta.model.objects.get(pk=viewer.pk))  # permissions are cached
    assert 'name="revisions"' in client.get(WORK).content.decode()


# Who is kept out ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_editors_are_refused_and_nothing_is_approved(manager_client, revision_b, method):
    response = getattr(manager_client, method)(WORK, ticked(revision_b))

    assert response.status_code == 403
    assert "Beta food bank" not in response.content.decode()
    revision_b.refresh_from_db()
    assert revision_b.status == RevisionStatus.PENDING


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_signed_out_is_sent_to_sign_in(client, revision_b, method):
    response = getattr(client, method)(WORK, ticked(revision_b))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    revision_b.refresh_from_db()
    assert revision_b.status == RevisionStatus.PENDING


def test_a_signed_in_editor_of_several_organisations_is_still_refused(client, org_a, org_b):
    editor = MembershipFactory(organisation=org_a).user
    MembershipFactory(organisation=org_b, user=editor)
    client.force_login(editor)

    assert client.get(WORK).status_code == 403
