# Every enquiry now has a reference: make it required and unique, and new ones get their own.

from django.db import migrations, models

import initiatives.references


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0002_enquiry_reference")]

    operations = [
        migrations.AlterField(
            model_name="enquiry",
            name="reference",
            field=models.CharField(
                default=initiatives.references.new_reference,
                editable=False,
                help_text="What the resident quotes when they ask about their message; shown to them and emailed.",
                max_length=9,
                unique=True,
            ),
        ),
    ]
