from django.conf import settings
from django.core.management.base import BaseCommand

from initiatives.enquiries.services import enquiries_purge


class Command(BaseCommand):
    help = "Delete closed enquiries older than the retention period. Safe to run every day."

    def handle(self, *args, **options):
        deleted = enquiries_purge()
        days = settings.ENQUIRY_RETENTION_DAYS
        self.stdout.write(f"{deleted} closed enquiries deleted (closed more than {days} days ago).")
