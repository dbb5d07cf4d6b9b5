from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The pages residents use: home, the filtered list and search, services, organisations, needs,
    the guided journey and My list. Their URL names keep the `initiatives` namespace."""

    name = "initiatives.public"
    label = "public"
    verbose_name = "Public pages"
