"""Staff read general enquiries and delete any enquiry at a resident's request."""

from django.contrib import admin

from .models import Enquiry, EnquiryNotice
from .services import enquiry_delete, enquiry_update

RESIDENT_REQUEST = "deleted by staff at the resident's request"


class EnquiryNoticeInline(admin.TabularInline):
    model = EnquiryNotice
    fields = ["kind", "sent_at", "attempts", "last_error", "given_up_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "__str__", "status", "closed_at"]
    list_filter = ["status", ("service", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["reference", "name", "email", "phone", "service__name", "service__organisation__name"]
    list_select_related = ["service"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    readonly_fields = [
        "reference",
        "service",
        "name",
        "email",
        "phone",
        "message",
        "consented_at",
        "created_at",
        "closed_at",
    ]
    fields = [*readonly_fields[:7], "status", "private_note", "created_at", "closed_at"]
    inlines = [EnquiryNoticeInline]

    def has_add_permission(self, request):
        return False  # enquiries come only from residents, through the public forms

    def save_model(self, request, obj, form, change):
        enquiry_update(enquiry=obj, status=obj.status, private_note=obj.private_note, actor=request.user)

    def delete_model(self, request, obj):
        enquiry_delete(enquiry=obj, actor=request.user, reason=RESIDENT_REQUEST)

    def delete_queryset(self, request, queryset):
        for enquiry in queryset:
            enquiry_delete(enquiry=enquiry, actor=request.user, reason=RESIDENT_REQUEST)
