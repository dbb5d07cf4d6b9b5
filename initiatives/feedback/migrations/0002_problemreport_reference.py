# A reference for each problem report, which residents quote instead of the row's id. Added empty and
# filled in here, then made unique and required in 0003_problemreport_reference_unique, as
# Django's docs advise for a unique field on existing rows.

from django.db import migrations, models

from initiatives.references import references_fill


def fill_references(apps, schema_editor):
    references_fill(apps.get_model("feedback", "ProblemReport"))


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_problem_reports")]

    operations = [
        migrations.AddField(
            "problemreport", "reference", models.CharField(max_length=9, null=True, editable=False)
        ),
        migrations.RunPython(fill_references, migrations.RunPython.noop),
    ]
