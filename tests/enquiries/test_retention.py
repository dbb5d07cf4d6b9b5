"""Nothing personal is kept longer than needed: closed enquiries are purged; staff delete on request."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from initiatives.enquiries.models import Enquiry, EnquiryNotice
from initiatives.models import AuditEntry
from tests.factories import EnquiryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def _purge() -> str:
    out = StringIO()
    call_command("purge_enquiries", stdout=out)
    return out.getvalue()


def test_purge_deletes_only_closed_enquiries_past_retention():
    old_closed = EnquiryFactory(closed=True, closed_at=_days_ago(91))
    EnquiryNotice.objects.create(enquiry=old_closed, kind="editors")
    recent_closed = EnquiryFactory(closed=True, closed_at=_days_ago(89))
    old_open = EnquiryFactory(created_at=_days_ago(400))

    assert "1 closed enquiries deleted" in _purge()

    assert set(Enquiry.objects.all()) == {recent_closed, old_open}
    assert not EnquiryNotice.objects.exists()  # the notices go with their enquiry


def test_purge_is_safe_to_run_again():
    EnquiryFactory(closed=True, closed_at=_days_ago(100))
    _purge()
    assert "0 closed enquiries deleted" in _purge()


def test_retention_period_is_a_setting(settings):
    settings.ENQUIRY_RETENTION_DAYS = 10
    EnquiryFactory(closed=True, closed_at=_days_ago(11))
    _purge()
    assert not Enquiry.objects.exists()


def test_staff_delete_at_a_residents_request_leaves_an_audit_entry_without_personal_data(client):
    enquiry = EnquiryFactory(name="Dee Lete", email="dee@example.test", message="Please forget me")
    pk = enquiry.pk
    client.force_login(UserFactory(staff=True))

    response = client.post(reverse("admin:enquiries_enquiry_delete", args=[pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Enquiry.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="enquiry_deleted")
    assert entry.object_id == pk
    recorded = f"{entry.object_repr} {entry.detail}"
    for personal in ("Dee", "dee@example.test", "forget"):
        assert personal not in recorded


def test_staff_bulk_delete_is_audited_too(client):
    enquiries = [EnquiryFactory(), EnquiryFactory()]
    client.force_login(UserFactory(staff=True))
    client.post(
        reverse("admin:enquiries_enquiry_changelist"),
        {"action": "delete_selected", "_selected_action": [e.pk for e in enquiries], "post": "yes"},
    )
    assert not Enquiry.objects.exists()
    assert AuditEntry.objects.filter(action="enquiry_deleted").count() == 2
