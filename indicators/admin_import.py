"""Staff admin for spreadsheet imports of figures: upload, preview with row errors, confirm, roll back."""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .choices import ImportLayout, ImportStatus
from .forms import DataPointImportForm, OnsImportForm
from .importing import CREATE, UPDATE, ParsedImport, parse_batch, parse_data_points, parse_ons
from .models import ImportBatch, ImportedChange
from .open_data import plain_number
from .services import ImportRefused, data_points_import, import_batch_create, import_batch_roll_back

PREVIEW_ROWS = 200  # rows and errors listed on the preview page; the counts cover them all
ACTION_LABELS = {CREATE: "New", UPDATE: "Update", "unchanged": "No change"}


@dataclass
class PreviewRow:
    number: int
    action: str
    indicator: str
    area: str
    period: str
    cells: list[str]  # value, limits, sample size, rank, source: "new (was old)" where it changes


PREVIEW_COLUMNS = (("value",), ("lower_limit", "upper_limit"), ("sample_size",), ("rank", "rank_out_of"))


def _joined(values) -> str:
    """'4.34', or '3.9 to 4.7' for a pair; decimals without trailing zeros."""
    shown = [plain_number(value) if hasattr(value, "normalize") else str(value) for value in values]
    return " to ".join(text for text in shown if text not in ("", "None"))


def _preview_rows(parsed: ParsedImport) -> list[PreviewRow]:
    shown = []
    for row in parsed.rows[:PREVIEW_ROWS]:
        changes = row.changes
        cells = []
        for names in PREVIEW_COLUMNS:
            new = _joined(row.values.get(name) for name in names)
            if any(name in changes for name in names):
                old = _joined(getattr(row.existing, name) for name in names)
                new = f"{new or 'empty'} (was {old or 'empty'})"
            cells.append(new)
        source = row.values.get("source")
        cells.append(str(source) if source else "The indicator's source")
        period = row.values["period_label"]
        shown.append(
            PreviewRow(
                row.number, ACTION_LABELS[row.action], row.indicator.title, row.area.name, period, cells
            )
        )
    return shown


def _figures(count: int, noun: str) -> str:
    return f"{count} {noun}{pluralize(count)}"


class ImportedChangeInline(admin.TabularInline):
    model = ImportedChange
    fields = ["row_number", "kind", "data_point", "before", "after"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "what the import changed (row numbers count the heading row as row 1)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "status",
        "uploaded_by",
        "created_at",
        "row_count",
        "created_count",
        "updated_count",
        "rolled_back_at",
    ]
    list_filter = ["status"]
    search_fields = ["file_name", "uploaded_by__username"]
    list_select_related = ["uploaded_by"]
    ordering = ["-created_at"]
    fieldsets = [
        (None, {"fields": ["file_name", "status", "uploaded_by", "created_at", "imported_at"]}),
        ("What it did", {"fields": ["row_count", "created_count", "updated_count"]}),
        ("Roll-back", {"fields": ["rolled_back_at", "rolled_back_by"]}),
        ("The file", {"fields": ["layout", "options", "content"], "classes": ["collapse"]}),
    ]
    readonly_fields = [field for _, options in fieldsets for field in options["fields"]]
    inlines = [ImportedChangeInline]
    actions = ["roll_back"]
    change_list_template = "admin/indicators/importbatch/change_list.html"

    def has_add_permission(self, request):
        return False  # files come in through the import page

    def has_change_permission(self, request, obj=None):
        return False  # a batch is a record of what happened

    def has_delete_permission(self, request, obj=None):
        """Only a previewed file that was never imported may be thrown away, one at a time."""
        pending = obj is not None and obj.status == ImportStatus.PENDING
        return pending and super().has_delete_permission(request, obj)

    def has_import_permission(self, request) -> bool:
        return request.user.has_perms(["indicators.add_datapoint", "indicators.change_datapoint"])

    def has_rollback_permission(self, request) -> bool:
        return request.user.has_perms(["indicators.change_datapoint", "indicators.delete_datapoint"])

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="indicators_importbatch_import",
            ),
            path(
                "import/ons/",
                self.admin_site.admin_view(self.import_ons_view),
                name="indicators_importbatch_import_ons",
            ),
            path(
                "<int:batch_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="indicators_importbatch_confirm",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Roll back the selected imports", permissions=["rollback"])
    def roll_back(self, request, queryset):
        for batch in queryset:
            try:
                import_batch_roll_back(batch=batch, actor=request.user)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{batch} rolled back: {_figures(batch.created_count, 'new figure')} deleted, "
                    f"{_figures(batch.updated_count, 'figure')} restored to earlier values.",
                    messages.SUCCESS,
                )

    def _render(self, request, *, form=None, parsed=None, batch=None, status=200, layout=ImportLayout.CSV):
        if batch is not None:
            layout = batch.layout
        ons = layout == ImportLayout.ONS
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import figures from an ONS file" if ons else "Import figures from a spreadsheet",
            "ons": ons,
            "form": form or (OnsImportForm() if ons else DataPointImportForm()),
            "parsed": parsed,
            "batch": batch,
            "preview": _preview_rows(parsed) if parsed and parsed.is_valid else [],
            "errors_shown": parsed.errors[:PREVIEW_ROWS] if parsed else [],
            "preview_limit": PREVIEW_ROWS,
        }
        if parsed is not None:
            context["counts"] = {action: parsed.count(action) for action in ("create", "update", "unchanged")}
        return TemplateResponse(request, "admin/indicators/import_data_points.html", context, status=status)

    def import_view(self, request):
        """Upload a CSV; a valid one is kept as a pending batch and previewed for confirmation."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return self._render(request)
        form = DataPointImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form=form, status=400)
        text = form.cleaned_data["text"]
        parsed = parse_data_points(text)
        if not parsed.is_valid:
            return self._render(request, parsed=parsed, status=400)
        return self._keep_for_preview(request, form, parsed)

    def import_ons_view(self, request):
        """Upload an ONS Explore Local Statistics file for one indicator; preview it as a spreadsheet is."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return self._render(request, layout=ImportLayout.ONS)
        form = OnsImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form=form, status=400, layout=ImportLayout.ONS)
        parsed = parse_ons(form.cleaned_data["text"], **form.ons_options())
        if not parsed.is_valid:
            return self._render(request, form=form, parsed=parsed, status=400, layout=ImportLayout.ONS)
        return self._keep_for_preview(
            request, form, parsed, layout=ImportLayout.ONS, options=form.ons_options()
        )

    def _keep_for_preview(self, request, form, parsed, **how_to_read):
        batch = import_batch_create(
            file_name=form.cleaned_data["file"].name,
            content=form.cleaned_data["text"],
            row_count=len(parsed.rows),
            actor=request.user,
            **how_to_read,
        )
        return redirect("admin:indicators_importbatch_confirm", batch_id=batch.pk)

    def confirm_view(self, request, batch_id):
        """Preview a pending upload (checked again now) and, on POST, import it: all rows or none."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        batch = get_object_or_404(
            ImportBatch, pk=batch_id, status=ImportStatus.PENDING, uploaded_by=request.user
        )
        if request.method != "POST":
            parsed = parse_batch(batch)
            return self._render(request, parsed=parsed, batch=batch, status=200 if parsed.is_valid else 400)
        try:
            data_points_import(batch=batch, actor=request.user)
        except ImportRefused as refused:
            return self._render(request, parsed=refused.parsed, batch=batch, status=400)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:indicators_importbatch_changelist")
        batch.refresh_from_db()
        unchanged = batch.row_count - batch.created_count - batch.updated_count
        self.message_user(
            request,
            f"Imported {batch.file_name}: {_figures(batch.created_count, 'new figure')}, "
            f"{batch.updated_count} updated, {unchanged} unchanged.",
            messages.SUCCESS,
        )
        return redirect(reverse("admin:indicators_importbatch_change", args=[batch.pk]))
