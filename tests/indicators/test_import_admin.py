"""The staff import page: upload → preview with row errors → confirm; roll back from the list of imports."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.choices import AreaKind, ImportStatus
from indicators.models import DataPoint, ImportBatch
from tests.factories import AreaFactory, IndicatorFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:indicators_importbatch_import")
GOOD = (
    "indicator,area_code,period_label,period_start,period_end,value\n"
    "unemployment-rate,E06000042,August 2025,2025-08-01,2025-08-31,4.34\n"
    "unemployment-rate,E92000001,August 2025,2025-08-01,2025-08-31,4.70\n"
)
ONE_BAD_ROW = GOOD + "unemployment-rate,E06000042,September 2025,2025-09-01,2025-09-30,not known\n"


@pytest.fixture
def indicator():
    AreaFactory(home=True)
    AreaFactory(name="England", code="E92000001", kind=AreaKind.COUNTRY)
    return IndicatorFactory(slug="unemployment-rate", title="Unemployment rate", decimal_places=2)


def upload(client, text: str | bytes, name="figures.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def confirm_url(batch) -> str:
    return reverse("admin:indicators_importbatch_confirm", args=[batch.pk])


def test_upload_previews_then_confirm_imports_every_row(staff_client, staff_user, indicator):
    assert staff_client.get(IMPORT_URL).status_code == 200

    uploaded = upload(staff_client, GOOD)

    batch = ImportBatch.objects.get()
    assert uploaded.status_code == 302 and uploaded.url == confirm_url(batch)
    assert (batch.status, batch.uploaded_by, batch.file_name) == (
        ImportStatus.PENDING,
        staff_user,
        "figures.csv",
    )
    assert DataPoint.objects.count() == 0, "nothing is saved before the staff member confirms"

    preview = staff_client.get(confirm_url(batch))
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "2 rows: 2 new, 0 to update, 0 unchanged" in page
    assert page.count("<td>New</td>") == 2
    assert "Import these figures" in page

    confirmed = staff_client.post(confirm_url(batch))

    assert confirmed.status_code == 302
    assert confirmed.url == reverse("admin:indicators_importbatch_change", args=[batch.pk])
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == (ImportStatus.IMPORTED, 2)
    assert sorted(DataPoint.objects.values_list("value", flat=True)) == [Decimal("4.34"), Decimal("4.70")]
    assert "2 new figures" in staff_client.get(confirmed.url).content.decode()


def test_preview_shows_what_an_update_changes(staff_client, indicator):
    upload(staff_client, GOOD)
    staff_client.post(confirm_url(ImportBatch.objects.get()))

    upload(staff_client, GOOD.replace("4.34", "4.41"))
    batch = ImportBatch.objects.get(status=ImportStatus.PENDING)
    page = staff_client.get(confirm_url(batch)).content.decode()

    assert "0 new, 1 to update, 1 unchanged" in page
    assert "4.41 (was 4.34)" in page


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(staff_client, indicator):
    response = upload(staff_client, ONE_BAD_ROW)

    page = response.content.decode()
    assert response.status_code == 400
    assert "This file cannot be imported, so nothing has been saved" in page
    assert "Row 4: value “not known” is not a number" in page
    assert ImportBatch.objects.count() == 0
    assert DataPoint.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param("indicator,valeur\nx,é\n".encode("latin-1"), "not UTF-8", id="not-utf-8"),
        pytest.param(b"", "The submitted file is empty", id="empty"),
        pytest.param(b"x" * 2000, "larger than", id="too-large"),
    ],
)
def test_unreadable_upload_gets_a_clear_message(staff_client, settings, data, message):
    settings.INDICATOR_IMPORT_MAX_BYTES = 1000

    response = upload(staff_client, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_file_that_went_wrong_since_its_preview_imports_nothing(staff_client, indicator):
    upload(staff_client, GOOD)
    batch = ImportBatch.objects.get()
    indicator.slug = "renamed"
    indicator.save()

    response = staff_client.post(confirm_url(batch))

    assert response.status_code == 400
    assert "no indicator has the slug “unemployment-rate”" in response.content.decode()
    assert DataPoint.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING


def test_only_the_uploader_can_confirm_and_only_once(staff_client, staff_user, indicator):
    upload(staff_client, GOOD)
    batch = ImportBatch.objects.get()
    staff_client.force_login(UserFactory(staff=True))
    assert staff_client.post(confirm_url(batch)).status_code == 404
    staff_client.force_login(staff_user)
    staff_client.post(confirm_url(batch))

    assert staff_client.post(confirm_url(batch)).status_code == 404
    assert DataPoint.objects.count() == 2


def test_roll_back_action_undoes_an_import(staff_client, indicator):
    upload(staff_client, GOOD)
    batch = ImportBatch.objects.get()
    staff_client.post(confirm_url(batch))

    response = staff_client.post(
        reverse("admin:indicators_importbatch_changelist"),
        {"action": "roll_back", "_selected_action": [batch.pk]},
        follow=True,
    )

    assert "rolled back: 2 new figures deleted" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.ROLLED_BACK
    assert DataPoint.objects.count() == 0


def test_refused_roll_back_says_which_row_changed(staff_client, indicator):
    upload(staff_client, GOOD)
    batch = ImportBatch.objects.get()
    staff_client.post(confirm_url(batch))
    DataPoint.objects.filter(area__code="E92000001").update(value=Decimal("5"))

    response = staff_client.post(
        reverse("admin:indicators_importbatch_changelist"),
        {"action": "roll_back", "_selected_action": [batch.pk]},
        follow=True,
    )

    assert "Row 3: the figure has been edited since" in response.content.decode()
    assert DataPoint.objects.count() == 2


def test_import_is_linked_from_the_data_point_and_import_lists(staff_client):
    for name in ("datapoint", "importbatch"):
        page = staff_client.get(reverse(f"admin:indicators_{name}_changelist")).content.decode()
        assert f'href="{IMPORT_URL}"' in page


def test_batches_are_records_only_a_pending_one_may_be_deleted(staff_client, indicator):
    upload(staff_client, GOOD)
    pending = ImportBatch.objects.get()
    upload(staff_client, GOOD)
    imported = ImportBatch.objects.exclude(pk=pending.pk).get()
    staff_client.post(confirm_url(imported))

    assert staff_client.get(reverse("admin:indicators_importbatch_add")).status_code == 403
    assert (
        staff_client.get(reverse("admin:indicators_importbatch_delete", args=[imported.pk])).status_code
        == 403
    )
    assert staff_client.post(
        reverse("admin:indicators_importbatch_delete", args=[pending.pk]), {"post": "yes"}
    )
    assert list(ImportBatch.objects.all()) == [imported]
    change_page = staff_client.get(reverse("admin:indicators_importbatch_change", args=[imported.pk]))
    assert change_page.status_code == 200
    assert not re.search(r'<input[^>]*name="_save"', change_page.content.decode()), "read-only"


def test_staff_need_permission_to_change_figures_to_import(client):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_importbatch"))
    client.force_login(clerk)

    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, GOOD).status_code == 403


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
