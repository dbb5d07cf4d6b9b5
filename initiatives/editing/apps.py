from django.apps import AppConfig


class EditingConfig(AppConfig):
    name = "initiatives.editing"
    label = "editing"
    verbose_name = "Charity editing and review"

    def ready(self):
        from . import history

        history.connect_signals()
