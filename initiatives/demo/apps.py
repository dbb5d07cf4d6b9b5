from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo content of the seed document, as data files, and `manage.py load_demo` to load them."""

    name = "initiatives.demo"
    label = "demo"
    verbose_name = "Demo content"
