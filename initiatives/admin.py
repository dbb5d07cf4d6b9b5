"""Staff admin for organisations, services and the vocabularies residents search by.

The listing actions and the review filter here are shared with indicators/admin.py, so
publishing, archiving and checking go through one path whatever is being published.
"""

import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.utils import model_ngettext, unquote
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Audience,
    AuditEntry,
    Contact,
    CostOption,
    DatedSession,
    Location,
    Need,
    Organisation,
    ReviewReminder,
    Schedule,
    Service,
)
from .publishing import PublicationState
from .services import ListingAction, audit_record, listings_apply_action

admin.site.site_header = "MK Directory staff admin"
admin.site.site_title = "MK Directory"
admin.site.index_title = "Curate the directory"

# Shown under the Publication fieldset of every publishable record.
PUBLICATION_HELP = (
    "Only published records appear on the public site, and a new one starts as a draft. Publish, "
    "withdraw or archive this one with the buttons at the top of the page; to publish, archive or "
    "confirm several at once, tick them on the list page and choose an action. Every change is "
    "recorded in the audit log."
)
PUBLICATION_FIELDS = (
    "publication_state",
    ("last_verified_on", "review_due_on"),
    ("created_at", "updated_at"),
)


def admin_extend(model, *mixins, inlines=(), site: admin.AdminSite = admin.site) -> None:
    """Re-register `model`'s admin with `mixins` in front of it and `inlines` after its own.

    How an app built on this one adds its parts to these pages (accounts: editors and invitations;
    editing: comparing and restoring versions; opendata: CSV import and export) without this module
    importing it. Apps load their admin modules in INSTALLED_APPS order, after this one.
    """
    registered = type(site.get_model_admin(model))
    attrs = {"inlines": [*registered.inlines, *inlines]} if inlines else {}
    site.unregister(model)
    site.register(model, type(registered.__name__, (*mixins, registered), attrs))


# Listing actions ---------------------------------------------------------------------------------


def _apply_listing_action(modeladmin, request, listings, action: ListingAction) -> None:
    """Run the listing service on the selected records and tell the user what happened."""
    try:
        changed = listings_apply_action(listings=listings, action=action, actor=request.user)
    except ValidationError as error:
        # The service works in one transaction, so a single invalid record leaves every one unchanged.
        modeladmin.message_user(
            request,
            f"Nothing was changed, because this one is not complete: {' '.join(error.messages)}. "
            "Open it, correct it and try again.",
            messages.ERROR,
        )
        return
    modeladmin.message_user(
        request,
        f"{changed} {model_ngettext(modeladmin.opts, changed)} {action.label.lower()}.",
        messages.SUCCESS,
    )


@admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
def publish_selected(modeladmin, request, queryset):
    _apply_listing_action(modeladmin, request, queryset, ListingAction.PUBLISH)


@admin.action(description="Withdraw selected %(verbose_name_plural)s from the site", permissions=["change"])
def withdraw_selected(modeladmin, request, queryset):
    _apply_listing_action(modeladmin, request, queryset, ListingAction.WITHDRAW)


@admin.action(description="Archive selected %(verbose_name_plural)s", permissions=["change"])
def archive_selected(modeladmin, request, queryset):
    _apply_listing_action(modeladmin, request, queryset, ListingAction.ARCHIVE)


@admin.action(description="Mark selected %(verbose_name_plural)s as checked today", permissions=["change"])
def mark_selected_checked(modeladmin, request, queryset):
    _apply_listing_action(modeladmin, request, queryset, ListingAction.VERIFY)


class ReviewDueFilter(admin.SimpleListFilter):
    """Filter publishable records by when their details should next be checked."""

    title = "next review"
    parameter_name = "review"
    LATE, OVERDUE, DUE_SOON, NOT_DUE, NO_DATE = "late", "overdue", "soon", "not_due", "no_date"
    SOON_DAYS = 30

    def lookups(self, request, model_admin):
        return [
            (self.OVERDUE, "Due or overdue"),
            (self.LATE, f"Overdue by {settings.REVIEW_OVERDUE_AFTER_DAYS} days or more"),
            (self.DUE_SOON, f"Due within {self.SOON_DAYS} days"),
            (self.NOT_DUE, "Not due"),
            (self.NO_DATE, "No review date"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=self.SOON_DAYS)
        # "Overdue" starts on the due date itself, as PublishableQuerySet.due_for_review does.
        # "Late" matches the second reminder editors get (initiatives.editing.freshness.reminder_kind).
        late_since = today - datetime.timedelta(days=settings.REVIEW_OVERDUE_AFTER_DAYS)
        conditions = {
            self.OVERDUE: {"review_due_on__lte": today},
            self.LATE: {"review_due_on__lte": late_since},
            self.DUE_SOON: {"review_due_on__gt": today, "review_due_on__lte": soon},
            self.NOT_DUE: {"review_due_on__gt": soon},
            self.NO_DATE: {"review_due_on__isnull": True},
        }
        if self.value() in conditions:
            return queryset.filter(**conditions[self.value()])
        return queryset


# Web addresses typed without a scheme are taken as https (Django 6's default, chosen now).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


# The buttons on a listing's change form, in the order shown.
PUBLICATION_BUTTONS = {
    ListingAction.PUBLISH: "Publish",
    ListingAction.WITHDRAW: "Withdraw from the site",
    ListingAction.ARCHIVE: "Archive",
}


def inline_changes(formsets) -> list[dict]:
    """Each inline row a save added, changed (naming its fields) or deleted."""
    rows = []
    for formset in formsets:
        kind = str(formset.model._meta.verbose_name)
        rows += [{"added": kind, "row": str(row)} for row in formset.new_objects]
        rows += [
            {"changed": kind, "row": str(row), "fields": fields} for row, fields in formset.changed_objects
        ]
        rows += [{"deleted": kind, "row": str(row)} for row in formset.deleted_objects]
    return rows


def _audit_deleted(request, listings) -> None:
    # Written before the rows go, in the admin's transaction: the entry keeps the name and id.
    for listing in listings:
        audit_record(actor=request.user, action="admin_deleted", record=listing)


class ListingAdmin(admin.ModelAdmin):
    """Base admin for publishable records: one audited way to publish, and every save audited.

    The publication state is read-only in the form, so a new record starts as a draft. It changes
    only through listings_apply_action, from the list's actions or the change form's buttons.
    """

    formfield_overrides = HTTPS_URL_FIELDS
    actions = [publish_selected, withdraw_selected, archive_selected, mark_selected_checked]
    readonly_fields = ["created_at", "updated_at"]
    change_form_template = "admin/listing_change_form.html"

    def get_readonly_fields(self, request, obj=None):
        # Whatever a subclass makes read-only, the state is too.
        return [*super().get_readonly_fields(request, obj), "publication_state"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Django's add and change views run in one transaction, so the entry goes with the save.
        audit_record(
            actor=request.user,
            action="admin_changed" if change else "admin_added",
            record=form.instance,
            detail={"fields": form.changed_data, "inlines": inline_changes(formsets)},
        )

    def delete_model(self, request, obj):
        _audit_deleted(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        _audit_deleted(request, queryset)
        super().delete_queryset(request, queryset)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_publication"
        view = self.admin_site.admin_view(require_POST(self.publication_view))
        return [path("<path:object_id>/publication/", view, name=name), *super().get_urls()]

    def publication_view(self, request, object_id):
        """Publish, withdraw or archive one listing from its change form, through the audited service."""
        listing = self.get_object(request, unquote(object_id))
        if listing is None:
            raise Http404
        if not self.has_change_permission(request, listing):
            raise PermissionDenied
        if request.POST.get("action") not in PUBLICATION_BUTTONS:
            raise BadRequest("Unknown publication action.")
        _apply_listing_action(self, request, [listing], ListingAction(request.POST["action"]))
        return redirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[listing.pk])
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and self.has_change_permission(request, obj):
            context["publication_buttons"] = self.publication_buttons(obj)
            context["publication_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_publication", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def publication_buttons(listing) -> list[tuple[str, str]]:
        """The buttons that would change something: none publishes what is already published."""
        offered = {
            ListingAction.PUBLISH: not listing.is_published,
            ListingAction.WITHDRAW: listing.is_published,
            ListingAction.ARCHIVE: listing.publication_state != PublicationState.ARCHIVED,
        }
        return [(action, label) for action, label in PUBLICATION_BUTTONS.items() if offered[action]]


class VersionedListingAdmin(SimpleHistoryAdmin, ListingAdmin):
    """Organisations and services: listings with a version history (who, when, why)."""

    history_list_display = ["history_change_reason"]


# Vocabularies ------------------------------------------------------------------------------------


class InUseFilter(admin.SimpleListFilter):
    """Whether any service is tagged with the term; reads VocabularyAdmin's service_count."""

    title = "used by services"
    parameter_name = "in_use"

    def lookups(self, request, model_admin):
        return [("yes", "Used by a service"), ("no", "Not used yet")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(service_count__gt=0)
        if self.value() == "no":
            return queryset.filter(service_count=0)
        return queryset


class VocabularyAdmin(admin.ModelAdmin):
    """Shared by needs and audiences: the terms residents choose from when they search."""

    list_display = ["name", "position", "service_count"]
    list_editable = ["position"]
    list_filter = [InUseFilter]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["position", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(service_count=Count("services", distinct=True))

    @admin.display(description="services", ordering="service_count")
    def service_count(self, term):
        return term.service_count


@admin.register(Need)
class NeedAdmin(VocabularyAdmin):
    list_display = ["name", "parent", "position", "service_count"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter), InUseFilter]
    search_fields = ["name", "question", "description"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "question", "description", "position"]}),
    ]


@admin.register(Audience)
class AudienceAdmin(VocabularyAdmin):
    pass


# Organisations and places ------------------------------------------------------------------------


# Stacked, as are the service's inlines below: a tabular inline's cells have no <label>, so a screen
# reader would announce each box without saying which field it is.
class LocationInline(admin.StackedInline):
    model = Location
    fields = ["name", "postcode", "town"]
    extra = 0
    show_change_link = True
    verbose_name_plural = "places (open one to add its address and access details)"


@admin.register(Organisation)
class OrganisationAdmin(VersionedListingAdmin):
    list_display = [
        "name",
        "parent",
        "publication_state",
        "service_count",
        "last_verified_on",
        "review_due_on",
    ]
    list_filter = ["publication_state", ReviewDueFilter, ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "charity_number", "company_number", "email"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent", "partners"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]
    inlines = [LocationInline]  # accounts adds the editors and invitations
    fieldsets = [
        ("About", {"fields": ["name", "slug", "description", "logo"]}),
        ("Contact", {"fields": ["website", "email", "phone"]}),
        (
            "Registration",
            {
                "fields": [("charity_number", "company_number")],
                "description": "Numbers from the Charity Commission and Companies House, where it has them.",
            },
        ),
        ("Relationships", {"fields": ["parent", "partners"]}),
        (
            "Charity editors",
            {
                "fields": ["is_trusted"],
                "description": "Editors and invitations are listed below. A trusted organisation's "
                "changes publish as soon as its editors send them; each is still recorded.",
            },
        ),
        (
            "Imported from",
            {
                "fields": [("external_source", "external_id")],
                "description": "Filled in by imports from another directory's Open Referral UK feed.",
            },
        ),
        (
            "Publication",
            {"fields": [*PUBLICATION_FIELDS, "review_period_months"], "description": PUBLICATION_HELP},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(service_count=Count("services", distinct=True))

    @admin.display(description="services", ordering="service_count")
    def service_count(self, organisation):
        return organisation.service_count


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "postcode", "town"]
    list_filter = ["town", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "postcode", "address", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    ordering = ["name"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "organisation"],
                "description": "Leave the organisation empty for a shared venue such as a library.",
            },
        ),
        ("Address", {"fields": ["address", "town", "postcode"]}),
        (
            "Map position",
            {
                "fields": [("latitude", "longitude")],
                "description": "Fill in both or neither, in decimal degrees (e.g. 52.0406, -0.7594).",
            },
        ),
        ("Access", {"fields": ["accessibility"]}),
    ]


# Services ----------------------------------------------------------------------------------------


class CostOptionInline(admin.StackedInline):
    model = CostOption
    extra = 0
    verbose_name_plural = "charges (leave empty if the service is free)"


class ContactInline(admin.StackedInline):
    model = Contact
    extra = 0


class ScheduleInline(admin.StackedInline):
    model = Schedule
    autocomplete_fields = ["location"]
    extra = 0
    verbose_name_plural = "weekly opening hours"


class NamedSplitDateTime(widgets.AdminSplitDateTime):
    """Django's date and time boxes, each named after its field: the words beside them are no <label>."""

    def __init__(self, *, field_label: str, attrs=None):
        super().__init__(attrs)
        self.field_label = field_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, part in zip(context["widget"]["subwidgets"], ["date", "time"], strict=True):
            subwidget["attrs"]["aria-label"] = f"{self.field_label}: {part}"
        return context


class DatedSessionInline(admin.StackedInline):
    model = DatedSession
    autocomplete_fields = ["location"]
    extra = 0
    verbose_name_plural = "dated sessions (one-off events and course days)"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateTimeField):
            kwargs["widget"] = NamedSplitDateTime(field_label=capfirst(db_field.verbose_name))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Service)
class ServiceAdmin(VersionedListingAdmin):
    list_display = [
        "name",
        "organisation",
        "kind",
        "status",
        "publication_state",
        "last_verified_on",
        "review_due_on",
    ]
    list_filter = [
        "publication_state",
        ReviewDueFilter,
        "kind",
        "status",
        "needs",
        "audiences",
        "in_person",
        "by_phone",
        "online",
        "is_free",
        "service_area",
    ]
    search_fields = ["name", "slug", "summary", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "needs", "audiences", "locations"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]
    inlines = [CostOptionInline, ContactInline, ScheduleInline, DatedSessionInline]
    fieldsets = [
        (
            "About",
            {
                "fields": [
                    "name",
                    "slug",
                    "organisation",
                    ("kind", "status"),
                    "summary",
                    "description",
                    "photo",
                    "photo_alt",
                ]
            },
        ),
        (
            "Who it is for",
            {
                "fields": ["needs", "audiences", "eligibility", ("minimum_age", "maximum_age")],
                "description": "Residents find services by need and audience, so tag every one that fits.",
            },
        ),
        (
            "How to get help",
            {
                "fields": [
                    ("in_person", "by_phone", "online"),
                    ("access_self_referral", "access_referral", "access_drop_in", "access_booking"),
                    "how_to_access",
                    ("is_free", "cost_description"),
                    "languages",
                    "accessibility",
                ],
                "description": "Tick every way a resident can get help and every way they can start.",
            },
        ),
        (
            "Where and when",
            {
                "fields": ["service_area", "locations", ("starts_on", "ends_on"), "dates_note"],
                "description": "Leave the dates empty for a service that runs all year round. "
                "Add weekly hours and dated sessions in the tables below.",
            },
        ),
        (
            "Contact",
            {
                "fields": ["website", "email", "phone"],
                "description": "Leave empty to show the organisation's details instead. Residents can "
                "always send a message through the directory: the organisation's editors read it, or, "
                "while it has none, staff do and pass it on.",
            },
        ),
        (
            "Imported from",
            {
                "fields": [("external_source", "external_id")],
                "description": "Filled in by imports from another directory's Open Referral UK feed.",
            },
        ),
        (
            "Publication",
            {
                "fields": PUBLICATION_FIELDS,
                "description": PUBLICATION_HELP
                + " A service appears only while its organisation is published too.",
            },
        ),
    ]


# Audit log ---------------------------------------------------------------------------------------


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The record of who changed what: readable by staff, never edited by hand."""

    list_display = ["created_at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_repr", "actor__username", "actor__email"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    fields = ("created_at", "actor", "action", "content_type", "record_link", "detail")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="record")
    def record_link(self, entry):
        content_type = entry.content_type
        try:
            url = reverse(
                f"admin:{content_type.app_label}_{content_type.model}_change", args=[entry.object_id]
            )
        except NoReverseMatch:
            return entry.object_repr
        return format_html('<a href="{}">{}</a>', url, entry.object_repr)


@admin.register(ReviewReminder)
class ReviewReminderAdmin(admin.ModelAdmin):
    """Who was reminded to check which listing, and when: written by `send_review_reminders` only."""

    list_display = ["sent_at", "kind", "content_type", "listing_link", "review_due_on"]
    list_filter = ["kind", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["sent_to"]
    list_select_related = ["content_type"]
    date_hierarchy = "sent_at"
    fields = ("sent_at", "kind", "content_type", "listing_link", "review_due_on", "sent_to")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("listing")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="listing")
    def listing_link(self, reminder):
        if reminder.listing is None:
            return f"{reminder.content_type.name} {reminder.object_id} (deleted)"
        url = reverse(
            f"admin:{reminder.content_type.app_label}_{reminder.content_type.model}_change",
            args=[reminder.object_id],
        )
        return format_html('<a href="{}">{}</a>', url, reminder.listing)
