from django.core.management.base import BaseCommand

from initiatives.enquiries.models import EnquiryNotice
from initiatives.enquiries.services import notices_send


class Command(BaseCommand):
    help = (
        "Send the enquiry emails that have not gone yet (for example after the mail server was down). "
        "One that keeps failing is given up and left in the admin for staff."
    )

    def handle(self, *args, **options):
        notices = EnquiryNotice.objects.to_retry().select_related("enquiry__service")
        sent, failed = notices_send(notices=notices)
        given_up = EnquiryNotice.objects.unsent().exclude(given_up_at=None).count()
        self.stdout.write(f"{sent} sent, {failed} not sent; {given_up} given up in all (see the admin).")
