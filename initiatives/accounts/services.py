"""Invite people to edit an organisation, let them in, and remove them: each step audited."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from initiatives.emails import email_send_on_commit, render_email_subject
from initiatives.models import MembershipRole, Organisation, OrganisationMembership
from initiatives.services import audit_record

from .models import Invitation, hash_token, new_token


def invitation_problem(*, organisation: Organisation, email: str) -> str | None:
    """Why this person cannot be invited to the organisation, or None if they can."""
    if OrganisationMembership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        return f"{email} can already edit {organisation}'s listings."
    return None


@transaction.atomic
def invitation_send(*, organisation: Organisation, email: str, role: str, invited_by) -> Invitation:
    """Email a one-time link to join the organisation; it replaces any open invitation to the same address."""
    email = get_user_model().objects.normalize_email(email.strip())
    problem = invitation_problem(organisation=organisation, email=email)
    if problem:
        raise ValidationError(problem)
    Invitation.objects.open().filter(organisation=organisation, email__iexact=email).delete()
    token = new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(
        actor=invited_by, action="editor_invited", record=organisation, detail={"email": email, "role": role}
    )
    context = {
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("accounts:invitation_open", args=[token]),
        "days": settings.INVITATION_VALID_DAYS,
    }
    email_send_on_commit(
        subject=render_email_subject("accounts/email/invitation_subject.txt", context),
        body=render_to_string("accounts/email/invitation_body.txt", context),
        recipients=[email],
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> OrganisationMembership:
    """Use the invitation once: the person joins the organisation in the role they were invited to."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not Invitation.objects.open().filter(pk=invitation.pk).exists():
        raise ValidationError("This invitation has expired or has already been used.")
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(f"This invitation is for {invitation.email}.")
    membership, created = OrganisationMembership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == MembershipRole.MANAGER:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user, action="editor_joined", record=invitation.organisation, detail={"role": membership.role}
    )
    return membership


@transaction.atomic
def account_create_from_invitation(*, invitation: Invitation, name: str, password: str):
    """Make the invited person's account (never staff: no Django admin) and accept the invitation."""
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("An account with this email address already exists: sign in to accept.")
    user = User(username=invitation.email, email=invitation.email, first_name=name.strip()[:150])
    user.set_password(password)
    user.full_clean()
    user.save()
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def membership_remove(*, membership: OrganisationMembership, actor) -> None:
    """Take away a colleague's right to edit the organisation's listings."""
    if membership.user_id == actor.pk:
        raise ValidationError("You cannot remove yourself. Ask another manager or the directory staff.")
    audit_record(
        actor=actor,
        action="editor_removed",
        record=membership.organisation,
        detail={"user": membership.user.get_username()},
    )
    membership.delete()
