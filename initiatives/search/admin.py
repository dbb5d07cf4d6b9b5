"""Staff admin for the search: the synonyms list, and the searches residents make that find nothing."""

from django.contrib import admin

from .models import Synonym, UnmatchedSearch


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["terms"]
    search_fields = ["terms"]
    fields = ["terms"]


@admin.register(UnmatchedSearch)
class UnmatchedSearchAdmin(admin.ModelAdmin):
    """Read only: what residents looked for and did not find, the most frequent first.

    A frequent search here may need a synonym, a new need, or a service the directory lacks.
    """

    list_display = ["words", "filters", "times", "last_seen", "first_seen"]
    list_display_links = None
    search_fields = ["words"]
    date_hierarchy = "last_seen"
    ordering = ["-times", "-last_seen"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
