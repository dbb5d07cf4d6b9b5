from django.core.management.base import BaseCommand

from initiatives.enquiries.models import EnquiryNotice
from initiatives.enquiries.services import notices_send


class Command(BaseCommand):
    help = "Send the enquiry emails that have not gone yet (for example after the mail server was down)."

    def handle(self, *args, **options):
        sent, failed = notices_send(notices=EnquiryNotice.objects.unsent().select_related("enquiry__service"))
        self.stdout.write(f"{sent} sent, {failed} still waiting.")
