# Problem reports' emails are stored with the report and retried until they go (issue 13).

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_problemreport_resolution_note"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProblemReportNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_error", models.CharField(blank=True, max_length=200)),
                (
                    "given_up_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When retrying stopped: the email failed too often, or could never be sent as it is.",
                        null=True,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("editors", "Organisation's editors"),
                            ("staff", "Directory's staff"),
                            ("resident", "Resident who reported it"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notices",
                        to="feedback.problemreport",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "pk"],
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(
                        fields=("report", "audience"), name="problem_report_notice_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("audience__in", ["editors", "staff", "resident"])),
                        name="problem_report_notice_audience_valid",
                    ),
                ],
            },
        ),
    ]
