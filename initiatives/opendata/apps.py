from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "initiatives.opendata"
    label = "opendata"
    verbose_name = "Open data"
