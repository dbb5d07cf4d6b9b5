from django.conf import settings
from django.core.management.base import BaseCommand

from initiatives.search.services import unmatched_searches_purge


class Command(BaseCommand):
    help = (
        "Delete the daily counts of searches that found nothing older than the retention period. "
        "Safe to run every day."
    )

    def handle(self, *args, **options):
        deleted = unmatched_searches_purge()
        months = settings.UNMATCHED_SEARCH_RETENTION_MONTHS
        self.stdout.write(
            f"{deleted} daily counts of searches that found nothing deleted (kept: {months} months)."
        )
