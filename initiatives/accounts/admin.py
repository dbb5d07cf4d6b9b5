"""Staff add editors to an organisation by invitation, from the organisation's admin page or here."""

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet

from initiatives.admin import admin_extend
from initiatives.models import Organisation, OrganisationMembership

from .models import Invitation
from .services import invitation_problem, invitation_send


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["organisation", "email", "role"]

    def clean(self):
        cleaned = super().clean()
        organisation, email = (
            cleaned.get("organisation") or getattr(self.instance, "organisation", None),
            cleaned.get("email"),
        )
        if organisation and email:
            problem = invitation_problem(organisation=organisation, email=email)
            if problem:
                self.add_error("email", problem)
        return cleaned


class InvitationFormSet(BaseInlineFormSet):
    """New rows are sent as invitations (token, expiry, email) rather than saved as they are."""

    sender = None  # the staff member, set per request by InvitationInline.get_formset

    def save_new(self, form, commit=True):
        return invitation_send(
            organisation=self.instance,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=self.sender,
        )


class InvitationInline(admin.StackedInline):  # stacked: each field has its own label
    model = Invitation
    form = InvitationAdminForm
    formset = InvitationFormSet
    fields = ["email", "role", "status", "expires_at", "invited_by"]
    readonly_fields = ["status", "expires_at", "invited_by"]
    extra = 0
    verbose_name = "invitation"
    verbose_name_plural = "invitations (add one to email a one-time link to a new editor)"

    def get_queryset(self, request):
        return super().get_queryset(request).open().select_related("invited_by")

    def has_change_permission(self, request, obj=None):
        return False  # an invitation is sent once; delete it to cancel, add another to resend

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"sender": request.user})


class MembershipInline(admin.StackedInline):
    model = OrganisationMembership
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name = "editor"
    verbose_name_plural = "editors (people who can propose changes to this organisation's listings)"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = InvitationAdminForm
    list_display = ["email", "organisation", "role", "status", "created_at", "expires_at", "invited_by"]
    list_filter = ["role", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation", "invited_by"]
    autocomplete_fields = ["organisation"]
    ordering = ["-created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "organisation",
            "email",
            "role",
            "status",
            "created_at",
            "expires_at",
            "invited_by",
            "accepted_at",
        ]

    def get_fields(self, request, obj=None):
        return ["organisation", "email", "role"] if obj is None else self.get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        sent = invitation_send(
            organisation=obj.organisation, email=obj.email, role=obj.role, invited_by=request.user
        )
        obj.pk = sent.pk
        messages.info(request, f"An invitation link has been emailed to {sent.email}.")


@admin.register(OrganisationMembership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "user__username", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


# An organisation's page lists its editors, and staff invite new ones there.
admin_extend(Organisation, inlines=[MembershipInline, InvitationInline])
