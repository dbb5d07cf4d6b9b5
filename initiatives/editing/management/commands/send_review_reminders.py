"""`manage.py send_review_reminders`: email editors about listings due a check. Safe to run daily."""

from django.core.management.base import BaseCommand

from initiatives.editing.freshness import review_reminders_send


class Command(BaseCommand):
    help = (
        "Email each organisation's editors about its published listings that have fallen due for a "
        "check, and again once they are overdue. A reminder is never sent twice, so run it every day."
    )

    def handle(self, *args, **options):
        run = review_reminders_send()
        self.stdout.write(self.style.SUCCESS(f"Review reminders: {run.sent} email(s) sent."))
        if run.without_editor:
            self.stdout.write(
                f"{run.without_editor} organisation(s) have listings due but no editor to remind: "
                "staff find them with the admin's “next review” filter."
            )
