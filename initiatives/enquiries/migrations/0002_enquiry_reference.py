# A reference for each enquiry, which residents quote instead of the row's id. Added empty and
# filled in here, then made unique and required in 0003_enquiry_reference_unique, as Django's docs advise
# for a unique field on existing rows.

from django.db import migrations, models

from initiatives.references import references_fill


def fill_references(apps, schema_editor):
    references_fill(apps.get_model("enquiries", "Enquiry"))


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0001_enquiries_and_notices")]

    operations = [
        migrations.AddField(
            "enquiry", "reference", models.CharField(max_length=9, null=True, editable=False)
        ),
        migrations.RunPython(fill_references, migrations.RunPython.noop),
    ]
