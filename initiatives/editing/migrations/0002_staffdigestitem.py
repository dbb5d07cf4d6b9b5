# What the daily staff digest has already told staff about, so nothing is told twice (issue 11).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("editing", "0001_revisions")]

    operations = [
        migrations.CreateModel(
            name="StaffDigestItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("revision", "Change waiting for review"),
                            ("problem_report", "Problem reported by a resident"),
                            ("enquiry", "Message for staff to answer or pass on"),
                        ],
                        max_length=20,
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["-sent_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"),
                        name="staff_digest_item_once",
                        violation_error_message="This item has already been in a staff digest.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["revision", "problem_report", "enquiry"])),
                        name="staff_digest_item_kind_valid",
                    ),
                ],
            },
        ),
    ]
