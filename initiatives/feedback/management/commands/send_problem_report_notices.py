from django.core.management.base import BaseCommand

from initiatives.feedback.models import ProblemReportNotice
from initiatives.feedback.services import problem_report_notices_send


class Command(BaseCommand):
    help = (
        "Send the problem-report emails that have not gone yet (for example after the mail server was "
        "down). One that keeps failing is given up and left in the admin for staff. Safe to run often."
    )

    def handle(self, *args, **options):
        notices = ProblemReportNotice.objects.to_retry().select_related(
            "report__organisation", "report__service"
        )
        sent, failed = problem_report_notices_send(notices=notices)
        given_up = ProblemReportNotice.objects.given_up().count()
        self.stdout.write(f"{sent} sent, {failed} not sent; {given_up} given up in all (see the admin).")
