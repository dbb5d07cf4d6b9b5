# Every row now has an open data id: make it required and unique, and new rows get their own.

import uuid

from django.db import migrations, models

OPEN_DATA_MODELS = ["audience", "need", "organisation", "location", "service"]
HELP = "Stable public identifier used in the Open Referral UK API, exports and imports."


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0004_fill_open_data_ids")]

    operations = [
        *[
            migrations.AlterField(
                name,
                "uuid",
                models.UUIDField(
                    "open data id", default=uuid.uuid4, unique=True, editable=False, help_text=HELP
                ),
            )
            for name in OPEN_DATA_MODELS
        ],
        migrations.AddConstraint(
            "organisation",
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~models.Q(external_id=""),
                name="organisation_unique_external_id",
            ),
        ),
        migrations.AddConstraint(
            "service",
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~models.Q(external_id=""),
                name="service_unique_external_id",
            ),
        ),
    ]
