# A reference for each enquiry, which residents quote instead of the row's id. Added empty and
# filled in here, then made unique and required in 0003_enquiry_reference_unique, as Django's docs advise
# for a unique field on existing rows.

from django.db import migrations, models

from initiatives.references import new_reference


def fill_references(apps, schema_editor):
    model = apps.get_model("enquiries", "Enquiry")
    rows = list(model.objects.filter(reference__isnull=True).only("pk"))
    taken = set()
    for row in rows:
        row.reference = new_reference()
        while row.reference in taken:
            row.reference = new_reference()
        taken.add(row.reference)
    model.objects.bulk_update(rows, ["reference"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0001_enquiries_and_notices")]

    operations = [
        migrations.AddField(
            "enquiry", "reference", models.CharField(max_length=9, null=True, editable=False)
        ),
        migrations.RunPython(fill_references, migrations.RunPython.noop),
    ]
