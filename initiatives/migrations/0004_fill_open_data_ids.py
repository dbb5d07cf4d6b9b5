# Give every existing row its own random open data id (a default on AddField would give them all one).

import uuid

from django.db import migrations

OPEN_DATA_MODELS = ["Audience", "Need", "Organisation", "Location", "Service"]


def fill_ids(apps, schema_editor):
    for name in OPEN_DATA_MODELS:
        model = apps.get_model("initiatives", name)
        rows = list(model.objects.filter(uuid__isnull=True).only("pk"))
        for row in rows:
            row.uuid = uuid.uuid4()
        model.objects.bulk_update(rows, ["uuid"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0003_open_data_fields")]

    operations = [migrations.RunPython(fill_ids, migrations.RunPython.noop)]
