"""Invitations to edit an organisation's listings: the only way a charity editor gets an account."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from initiatives.models import MembershipRole, Organisation


def hash_token(token: str) -> str:
    """Only this hash is stored, so a copy of the database holds no working invitation link."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        """Not yet used and not expired."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=now or timezone.now())

    def by_token(self, token: str):
        return self.filter(token_hash=hash_token(token))


class Invitation(models.Model):
    """A one-time link, emailed to a person, to join an organisation as an editor or manager."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=MembershipRole.choices, default=MembershipRole.EDITOR)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="invitation_role_valid"),
        ]

    def __str__(self):
        return f"{self.email} to {self.organisation} ({self.get_role_display()})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.expires_at is None:
            return "Not sent yet"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Waiting"
