# Every published, current service now takes a message, so the "accepts enquiries" switch goes. Who
# reads a message follows from the organisation's editors (initiatives.enquiries.readers).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0011_search_word_nearest")]

    operations = [
        migrations.RemoveField(model_name="historicalservice", name="accepts_enquiries"),
        migrations.RemoveField(model_name="service", name="accepts_enquiries"),
    ]
