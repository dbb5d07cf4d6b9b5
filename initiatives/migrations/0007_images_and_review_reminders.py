# Logos and service photos (processed, privately stored), a per-organisation review period, and the
# record of review reminders sent to editors.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import initiatives.images


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('initiatives', '0006_location_coordinates_index_schedule_midnight'),
    ]

    operations = [
        migrations.AlterField(
            model_name='organisation',
            name='logo',
            field=initiatives.images.ProcessedImageField(blank=True, size='logo', storage=initiatives.images.image_storage, upload_to=initiatives.images.RandomName('logos')),
        ),
        migrations.AddField(
            model_name='organisation',
            name='review_period_months',
            field=models.PositiveSmallIntegerField(blank=True, help_text="How long a check of this organisation's listings holds. Leave empty for the site's usual period (six months unless MK_REVIEW_PERIOD_MONTHS says otherwise).", null=True, verbose_name='months between checks'),
        ),
        migrations.AddField(
            model_name='service',
            name='photo',
            field=initiatives.images.ProcessedImageField(blank=True, size='photo', storage=initiatives.images.image_storage, upload_to=initiatives.images.RandomName('service-photos')),
        ),
        migrations.AddField(
            model_name='service',
            name='photo_alt',
            field=models.CharField(blank=True, help_text="What the photo shows, for people who cannot see it, e.g. 'A volunteer helping a man write his CV at a laptop'. Needed whenever there is a photo.", max_length=250, verbose_name='photo description'),
        ),
        migrations.AddConstraint(
            model_name='organisation',
            constraint=models.CheckConstraint(condition=models.Q(('review_period_months__isnull', True), models.Q(('review_period_months__gte', 1), ('review_period_months__lte', 36)), _connector='OR'), name='organisation_review_period_range', violation_error_message='Choose between 1 and 36 months between checks.'),
        ),
        migrations.AddConstraint(
            model_name='service',
            constraint=models.CheckConstraint(condition=models.Q(('photo', ''), models.Q(('photo_alt', ''), _negated=True), _connector='OR'), name='service_photo_described', violation_error_message='Describe the photo for people who cannot see it.'),
        ),
        migrations.CreateModel(
            name='ReviewReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('kind', models.CharField(choices=[('due', 'Due for a check'), ('overdue', 'Overdue for a check')], max_length=10)),
                ('review_due_on', models.DateField(help_text='The review date the reminder was about.')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('sent_to', models.TextField(help_text="The editors' email addresses, one per line.")),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
            ],
            options={
                'ordering': ['-sent_at'],
                'constraints': [
                    models.UniqueConstraint(fields=('content_type', 'object_id', 'kind', 'review_due_on'), name='review_reminder_once'),
                    models.CheckConstraint(condition=models.Q(('kind__in', ['due', 'overdue'])), name='review_reminder_kind_valid'),
                ],
            },
        ),
    ]
