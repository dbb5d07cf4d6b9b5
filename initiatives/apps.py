from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Organisations and services"

    def ready(self):
        from .caching import watch_for_changes  # models are ready only now

        watch_for_changes()
