"""`manage.py send_staff_digest`: email staff about new work. Safe to run daily from cron."""

from django.core.management.base import BaseCommand, CommandError

from initiatives.editing.digest import staff_digest_send


class Command(BaseCommand):
    help = (
        "Email active staff who review changes about the changes, problem reports and messages that "
        "have arrived since the last digest. Nothing is sent when there is no new work, and no item "
        "is ever sent twice, even by two runs at once, so run it every day."
    )

    def handle(self, *args, **options):
        run = staff_digest_send()
        if run.failed:
            raise CommandError(
                f"Staff digest: {run.reason}; nothing was recorded, so the next run tries again."
            )
        if run.items:
            self.stdout.write(
                self.style.SUCCESS(f"Staff digest: {run.items} new item(s) sent to {run.recipients} staff.")
            )
        else:
            self.stdout.write(f"Staff digest: nothing sent; {run.reason}.")
