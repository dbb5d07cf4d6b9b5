"""`manage.py load_demo`: load the demo content from the seed document. Safe to run again."""

from django.core.management.base import BaseCommand

from initiatives.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo organisations, services, needs, audiences and local figures from the seed "
        "document. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {result['created']} created, {result['updated']} updated, "
                f"{result['unchanged']} unchanged."
            )
        )
