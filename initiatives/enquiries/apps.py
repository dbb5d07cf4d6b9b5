from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "initiatives.enquiries"
    label = "enquiries"
    verbose_name = "Enquiries"
