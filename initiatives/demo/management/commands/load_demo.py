"""`manage.py load_demo`: load the demo content from the seed document. Safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from initiatives.demo.loader import DemoDataError, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo organisations, services, needs, audiences and local figures from the seed "
        "document's data files (initiatives/demo/data/). Running it again changes nothing."
    )

    def handle(self, *args, **options):
        try:
            result = load_demo()
        except DemoDataError as error:
            # A mistake in a data file: say where it is, without a traceback. Nothing was written.
            raise CommandError(f"{error}\nNothing was loaded.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {result['created']} created, {result['updated']} updated, "
                f"{result['unchanged']} unchanged."
            )
        )
