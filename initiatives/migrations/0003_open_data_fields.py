# Open data ids (added empty here, filled in 0004, made unique in 0005, as Django's docs advise for
# unique fields on existing rows), imported-record ids, and the "accepts enquiries" switch.

from django.db import migrations, models

OPEN_DATA_MODELS = ["audience", "need", "organisation", "location", "service"]


def _uuid_field():
    return models.UUIDField("open data id", null=True, editable=False)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_organisation_memberships")]

    operations = [
        *[migrations.AddField(name, "uuid", _uuid_field()) for name in OPEN_DATA_MODELS],
        migrations.AddField(
            "service",
            "accepts_enquiries",
            models.BooleanField(
                default=False,
                help_text="Show a “Get in touch” form; enquiries go to this organisation's editors.",
            ),
        ),
        *[
            migrations.AddField(
                name,
                "external_source",
                models.CharField(
                    max_length=200, blank=True, help_text="The feed this record was imported from, if any."
                ),
            )
            for name in ("organisation", "service")
        ],
        *[
            migrations.AddField(
                name,
                "external_id",
                models.CharField(max_length=100, blank=True, help_text="Its id in that feed."),
            )
            for name in ("organisation", "service")
        ],
    ]
