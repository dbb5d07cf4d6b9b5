"""Staff read residents' problem reports and mark them resolved."""

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.template.defaultfilters import truncatechars

from .models import ProblemReport, ProblemReportNotice
from .services import problem_reports_resolve


class ProblemReportNoticeInline(admin.TabularInline):
    """The report's emails: which went, and which failed and why (one given up is passed on by hand)."""

    model = ProblemReportNotice
    fields = ["audience", "sent_at", "attempts", "last_error", "given_up_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ResolvedFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("resolved", "Resolved")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.unresolved()
        if self.value() == "resolved":
            return queryset.resolved()
        return queryset


@admin.action(description="Mark selected reports as resolved", permissions=["change"])
def resolve_selected(modeladmin, request, queryset):
    resolved = problem_reports_resolve(reports=queryset, actor=request.user)
    modeladmin.message_user(
        request,
        f"{resolved} {model_ngettext(modeladmin.opts, resolved)} marked as resolved.",
        messages.SUCCESS,
    )


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    """Reports come only from residents, so they are read here, never written or edited."""

    list_display = ["created_at", "organisation", "service", "summary", "is_resolved"]
    list_filter = [ResolvedFilter, "created_at"]
    search_fields = ["reference", "text", "contact_email", "organisation__name", "service__name"]
    list_select_related = ["organisation", "service"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = [resolve_selected]
    fields = [
        "reference",
        "created_at",
        "organisation",
        "service",
        "text",
        "contact_email",
        "resolved_at",
        "resolved_by",
        "resolution_note",
    ]
    readonly_fields = fields
    inlines = [ProblemReportNoticeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list's resolve action needs "change"; one report's own page is for reading only.
        return obj is None and super().has_change_permission(request)

    @admin.display(description="what is wrong")
    def summary(self, report):
        return truncatechars(report.text, 80)

    @admin.display(description="resolved", boolean=True, ordering="resolved_at")
    def is_resolved(self, report):
        return report.is_resolved
