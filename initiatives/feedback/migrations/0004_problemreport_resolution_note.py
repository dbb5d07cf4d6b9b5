# Editors and staff say what was done when they mark a report resolved (issue 11).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_problemreport_reference_unique")]

    operations = [
        migrations.AddField(
            model_name="problemreport",
            name="resolution_note",
            field=models.TextField(
                blank=True,
                help_text="Written when the report is marked resolved; seen by the organisation's editors "
                "and staff, never sent to the resident.",
                max_length=2000,
                verbose_name="what was done",
            ),
        ),
    ]
