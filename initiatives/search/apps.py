from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The text search: its engine, and the synonyms, words and unmatched searches it keeps.

    Its models keep the app label `initiatives` (and their tables), which they had before the search
    became an app of its own; their migrations stay in initiatives/migrations.
    """

    name = "initiatives.search"
    label = "search"
    verbose_name = "Search"
