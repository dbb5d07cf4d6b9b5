"""Accounts: invitations with one-time links, managers' teams, sign-in with a rate limit, passwords."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from initiatives.accounts.models import Invitation, hash_token
from initiatives.accounts.services import invitation_send
from initiatives.models import MembershipRole, OrganisationMembership
from tests.factories import UserFactory, editor_of

from .forms_helper import read_form

LINK = re.compile(r"http://[^/]+(/accounts/invitation/[\w-]+/)")


def invitation_link(message) -> str:
    return LINK.search(message.body).group(1)


@pytest.fixture
def sent_invitation(org_a, staff_user, django_capture_on_commit_callbacks):
    """Staff invite new.editor@example.test to Alpha Aid; the link is in the email."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(
            organisation=org_a, email="new.editor@example.test", role="editor", invited_by=staff_user
        )
    return invitation_link(mail.outbox[-1])


# Staff invite from the admin ---------------------------------------------------------------------


def test_staff_invite_an_editor_from_the_organisations_admin_page(
    staff_client, staff_user, org_a, django_capture_on_commit_callbacks
):
    url = f"/admin/initiatives/organisation/{org_a.pk}/change/"
    form = read_form(staff_client.get(url), "organisation_form")
    form.set("invitations-TOTAL_FORMS", "1")
    form.set("invitations-0-email", "Someone@Example.test").set("invitations-0-role", "manager")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, form.as_post())

    assert response.status_code == 302, response.content.decode()[:2000]
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.role, invitation.invited_by) == (org_a, "manager", staff_user)
    assert [m.to for m in mail.outbox] == [["Someone@example.test"]]
    token = invitation_link(mail.outbox[0]).split("/")[-2]
    assert invitation.token_hash == hash_token(token) != token
    assert token not in str(Invitation.objects.values_list())
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)


def test_staff_invite_from_the_invitations_admin(staff_client, org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/accounts/invitation/add/",
            {"organisation": org_a.pk, "email": "viaadmin@example.test", "role": "editor"},
        )

    assert Invitation.objects.get().email == "viaadmin@example.test"
    assert "Alpha Aid" in mail.outbox[0].subject


# Accepting ---------------------------------------------------------------------------------------


def test_a_new_editor_sets_a_password_and_lands_in_their_organisation(client, org_a, sent_invitation):
    response = client.get(sent_invitation)
    assert response["Location"] == "/accounts/invitation/"
    page = client.get("/accounts/invitation/")
    assert "Join Alpha Aid" in page.content.decode()
    form = (
        read_form(page)
        .set("name", "Nia")
        .set("new_password1", "a-long-new-passphrase")
        .set("new_password2", "a-long-new-passphrase")
    )

    response = client.post("/accounts/invitation/", form.as_post())

    assert response["Location"] == "/manage/organisations/alpha-aid/"
    user = get_user_model().objects.get(email="new.editor@example.test")
    assert (user.first_name, user.is_staff, user.is_superuser) == ("Nia", False, False)
    assert user.check_password("a-long-new-passphrase")
    assert OrganisationMembership.objects.get(user=user).role == MembershipRole.EDITOR
    assert client.get("/manage/organisations/alpha-aid/").status_code == 200


def test_an_invitation_link_works_once(client, sent_invitation):
    client.get(sent_invitation)
    form = read_form(client.get("/accounts/invitation/"))
    form.set("name", "Nia").set("new_password1", "a-long-new-passphrase").set(
        "new_password2", "a-long-new-passphrase"
    )
    client.post("/accounts/invitation/", form.as_post())
    client.post("/accounts/logout/")

    client.get(sent_invitation)
    response = client.get("/accounts/invitation/")

    assert response.status_code == 404
    assert "This invitation link no longer works" in response.content.decode()


def test_an_expired_invitation_is_refused(client, sent_invitation):
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    client.get(sent_invitation)

    assert client.get("/accounts/invitation/").status_code == 404


def test_a_made_up_link_is_refused(client, sent_invitation):
    client.get("/accounts/invitation/not-a-real-token/")

    assert client.get("/accounts/invitation/").status_code == 404


def test_a_weak_password_is_refused_with_a_message(client, sent_invitation):
    client.get(sent_invitation)
    form = read_form(client.get("/accounts/invitation/"))
    form.set("name", "Nia").set("new_password1", "password").set("new_password2", "password")

    response = client.post("/accounts/invitation/", form.as_post())

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not get_user_model().objects.filter(email="new.editor@example.test").exists()


def test_someone_with_an_account_signs_in_and_joins_a_second_organisation(
    client, org_a, org_b, staff_user, django_capture_on_commit_callbacks
):
    person = editor_of(org_b, email="both@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(organisation=org_a, email="both@example.test", role="manager", invited_by=staff_user)
    client.get(invitation_link(mail.outbox[-1]))
    assert "Sign in" in client.get("/accounts/invitation/").content.decode()

    client.force_login(person)
    response = client.post("/accounts/invitation/")

    assert response["Location"] == "/manage/organisations/alpha-aid/"
    assert set(person.memberships.values_list("organisation__slug", "role")) == {
        ("alpha-aid", "manager"),
        ("beta-trust", "editor"),
    }


def test_signed_in_as_someone_else_the_invitation_is_not_taken(client, manager_b, sent_invitation):
    client.get(sent_invitation)
    client.force_login(manager_b)

    assert (
        "this invitation is for new.editor@example.test"
        in client.get("/accounts/invitation/").content.decode()
    )
    client.post("/accounts/invitation/")

    assert not manager_b.memberships.filter(organisation__slug="alpha-aid").exists()


# Managers' teams ---------------------------------------------------------------------------------


def test_a_manager_invites_a_colleague(manager_client, org_a, manager_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            f"/manage/organisations/{org_a.slug}/team/", {"email": "colleague@example.test", "role": "editor"}
        )

    assert response.status_code == 302
    assert Invitation.objects.get().invited_by == manager_a
    assert mail.outbox[0].to == ["colleague@example.test"]
    assert (
        "colleague@example.test"
        in manager_client.get(f"/manage/organisations/{org_a.slug}/team/").content.decode()
    )


def test_inviting_an_existing_colleague_is_explained(manager_client, org_a, editor_a):
    response = manager_client.post(
        f"/manage/organisations/{org_a.slug}/team/", {"email": editor_a.email.upper(), "role": "editor"}
    )

    assert response.status_code == 400
    assert "can already edit" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_manager_removes_a_colleague_but_not_themself(manager_client, org_a, manager_a, editor_a):
    colleague = org_a.memberships.get(user=editor_a)
    own = org_a.memberships.get(user=manager_a)

    manager_client.post(f"/manage/organisations/{org_a.slug}/team/{colleague.pk}/remove/")
    response = manager_client.post(f"/manage/organisations/{org_a.slug}/team/{own.pk}/remove/", follow=True)

    assert not OrganisationMembership.objects.filter(pk=colleague.pk).exists()
    assert OrganisationMembership.objects.filter(pk=own.pk).exists()
    assert "You cannot remove yourself" in response.content.decode()


# Signing in --------------------------------------------------------------------------------------


@pytest.fixture
def known_user(db):
    return UserFactory(username="known", email="known@example.test", password="right-password-123")


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_signing_in_by_username_or_email_goes_to_the_manage_area(client, known_user):
    response = sign_in(client, "known", "right-password-123")

    assert response["Location"] == "/manage/"
    assert client.get("/manage/").status_code == 200


def test_a_wrong_password_says_sign_in_pauses_after_five_tries(client, known_user):
    response = sign_in(client, "known", "wrong")

    assert response.status_code == 200
    assert "after 5 wrong tries, signing in is paused for 15 minutes" in response.content.decode()


def test_five_wrong_passwords_pause_sign_in_with_a_clear_message(client, known_user):
    for _ in range(5):
        sign_in(client, "known", "wrong")

    response = sign_in(client, "known", "right-password-123")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts to sign in" in page
    assert "paused for 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_another_username_from_the_same_address_is_not_locked_out(client, known_user):
    UserFactory(username="other", password="other-password-123")
    for _ in range(5):
        sign_in(client, "known", "wrong")

    assert sign_in(client, "other", "other-password-123")["Location"] == "/manage/"


def test_sign_out_is_a_button_that_posts(client, known_user):
    client.force_login(known_user)
    page = client.get("/manage/").content.decode()
    assert 'action="/accounts/logout/"' in page

    response = client.post("/accounts/logout/")

    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_password_reset_emails_a_one_time_link_that_sets_a_new_password(client, known_user):
    client.post("/accounts/password_reset/", {"email": "known@example.test"})
    link = re.search(r"http://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"},
    )

    known_user.refresh_from_db()
    assert known_user.check_password("brand-new-passphrase")


@pytest.mark.parametrize(
    "address", ["/accounts/login/", "/accounts/password_reset/", "/accounts/password_reset/done/"]
)
def test_account_pages_are_plain_and_labelled(client, address):
    page = client.get(address).content.decode()

    assert "<h1>" in page
    assert "Django administration" not in page


def test_a_signed_in_editor_changes_their_password(client, known_user):
    client.force_login(known_user)
    assert "Change your password" in client.get("/accounts/password_change/").content.decode()

    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "right-password-123",
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )

    assert response["Location"] == "/accounts/password_change/done/"
    known_user.refresh_from_db()
    assert known_user.check_password("another-long-passphrase")


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        pytest.param(
            "/accounts/login/", ["Enter your email address or username", "Enter your password"], id="sign-in"
        ),
        pytest.param("/accounts/password_reset/", ["Enter the email address you sign in with"], id="reset"),
    ],
)
def test_an_empty_form_says_what_to_enter_without_naming_the_field_twice(client, address, expected):
    response = client.post(address, {})

    page = response.content.decode()
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary) == expected
    assert "This field is required" not in page
