"""Propose, approve, reject, withdraw and restore listing versions: each in one transaction, audited.

An editor's change never touches the live listing: `revision_submit` stores it as a pending
Revision, and only `revision_approve` (staff) writes it, applying just the fields it changed and
refusing if someone else changed one of them differently in the meantime. Trusted organisations'
changes are approved as they are submitted, through the same path. A new service proposed by an
editor is a Service row in draft (invisible to the public) plus its pending revision; approving
publishes it, withdrawing archives it.
"""

import hashlib
import json
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from initiatives.emails import email_send_on_commit, render_email_subject
from initiatives.models import Organisation, Service
from initiatives.publishing import PublicationState
from initiatives.services import audit_record, review_due_after
from initiatives.slugs import free_slug

from .history import history_refresh, refresh_paused
from .models import Revision, RevisionFile, RevisionKind, RevisionStatus
from .snapshots import (
    ListingSpec,
    Snapshot,
    changed_names,
    choices_for,
    clashing_names,
    from_json,
    snapshot_of,
    spec_for,
)

SUPERSEDED_REASON = "Replaced by a later change from the same person."
# Tries at a free address for a new service when others take the same one at the same moment.
SLUG_ATTEMPTS = 5


class EditConflict(Exception):
    """The listing, or the changes waiting for review on it, moved on since the form was opened."""


class RevisionConflict(Exception):
    """Approving would overwrite fields someone else has changed since the revision was written."""

    def __init__(self, revision: Revision, labels: list[str]):
        self.revision = revision
        self.labels = labels
        super().__init__(
            f"{revision.listing_name}: changed by someone else since this was submitted "
            f"({', '.join(labels)}). Reject it with a reason so the editor can submit again."
        )


def organisation_of(listing) -> Organisation:
    return listing.organisation if isinstance(listing, Service) else listing


def listing_version(listing, snapshot: Snapshot | None = None, latest_revision: int | None = None) -> str:
    """What an editor saw when opening a form: the live listing's content and its latest revision.

    A caller that has already read the snapshot or the latest revision's id passes them in.
    """
    snapshot = snapshot_of(listing) if snapshot is None else snapshot
    digest = hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()[:16]
    if latest_revision is None:
        latest_revision = Revision.objects.latest_pk_of(listing)
    return f"{digest}-{latest_revision or 0}"


def _locked(listing):
    return type(listing).objects.select_for_update().get(pk=listing.pk)


# Editors -----------------------------------------------------------------------------------------


@transaction.atomic
def revision_submit(
    *, listing, data: Snapshot, uploads: dict[str, File], author, seen_version: str, note: str = ""
) -> Revision:
    """Store an editor's proposed version of a listing for review; publish it at once if trusted.

    Raises EditConflict if the listing or its pending changes moved on since `seen_version`, and
    ValidationError if nothing was changed.
    """
    listing = _locked(listing)
    if seen_version != listing_version(listing):
        raise EditConflict()
    base = snapshot_of(listing)
    if not changed_names(spec_for(listing), base, data) and not uploads:
        raise ValidationError("You have not changed anything yet.")
    revision = Revision.objects.create(
        organisation=organisation_of(listing),
        service=listing if isinstance(listing, Service) else None,
        kind=RevisionKind.CHANGE,
        data=data,
        base=base,
        note=note,
        author=author,
    )
    _store_uploads(revision, uploads)
    _supersede_earlier(revision)
    return _after_submit(revision, listing)


@transaction.atomic
def service_propose(
    *, organisation: Organisation, data: Snapshot, uploads: dict[str, File], author, note: str = ""
) -> Revision:
    """Add a new service as a draft (never public) with a pending revision; publish it if trusted."""
    spec = spec_for(Service)
    service = Service(organisation=organisation, publication_state=PublicationState.DRAFT)
    service._change_reason = "Proposed by an editor"
    service._history_user = author
    # New places are added on approval only, so a proposal turned down leaves none behind.
    names = [name for name in spec.all_names if name not in uploads and name not in spec.added_on_approval]
    _insert_with_free_slug(service, data, write=lambda: _write_listing(service, spec, data, names=names))
    revision = Revision.objects.create(
        organisation=organisation,
        service=service,
        kind=RevisionKind.NEW,
        data=data,
        base=snapshot_of(service),
        note=note,
        author=author,
    )
    _store_uploads(revision, uploads)
    return _after_submit(revision, service)


@transaction.atomic
def revision_withdraw(*, revision: Revision, actor) -> Revision:
    """Take back a change waiting for review; a proposed new service goes to the archive with it."""
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if not revision.is_pending:
        raise ValidationError("This change has already been decided, so it can no longer be withdrawn.")
    _decide(revision, status=RevisionStatus.WITHDRAWN, reviewer=None, reason=f"Withdrawn by {actor}.")
    listing = revision.listing
    if revision.kind == RevisionKind.NEW and listing.publication_state == PublicationState.DRAFT:
        listing.publication_state = PublicationState.ARCHIVED
        listing._history_user = actor
        listing._change_reason = "New service withdrawn by an editor"
        listing.save()
    audit_record(actor=actor, action="revision_withdrawn", record=listing, detail={"revision": revision.pk})
    return revision


# Staff -------------------------------------------------------------------------------------------


@transaction.atomic
def revision_approve(*, revision: Revision, reviewer, reason: str = "") -> Revision:
    """Apply a pending revision to the live listing and tell its author. Staff only.

    Raises RevisionConflict, leaving everything unchanged, if another change reached one of its
    fields first; ValidationError if the merged listing would not be valid.
    """
    _require_reviewer(reviewer)
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    _require_pending(revision)
    _approve(revision, reviewer=reviewer, reason=reason)
    _email_outcome(revision)
    return revision


@transaction.atomic
def revision_reject(*, revision: Revision, reviewer, reason: str) -> Revision:
    """Turn a pending revision down with a reason the editor is emailed. Staff only."""
    _require_reviewer(reviewer)
    if not reason.strip():
        raise ValidationError("Say why the change cannot be approved: the editor is sent the reason.")
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    _require_pending(revision)
    _decide(revision, status=RevisionStatus.REJECTED, reviewer=reviewer, reason=reason.strip())
    audit_record(
        actor=reviewer, action="revision_rejected", record=revision.listing, detail={"revision": revision.pk}
    )
    _email_outcome(revision)
    return revision


def revisions_approve_many(*, revisions, reviewer) -> tuple[list[Revision], list[str]]:
    """Approve each revision on its own; return those approved and, for the rest, why not."""
    approved, problems = [], []
    for revision in revisions:
        try:
            approved.append(revision_approve(revision=revision, reviewer=reviewer))
        except RevisionConflict as conflict:
            problems.append(str(conflict))
        except ValidationError as error:
            problems.append(f"{revision.listing_name}: {' '.join(error.messages)}")
    return approved, problems


@transaction.atomic
def listing_restore(*, listing, version, actor) -> Revision:
    """Make an earlier history version the live listing again, recorded as an approved revision."""
    _require_reviewer(actor)
    listing = _locked(listing)
    spec = spec_for(listing)
    data = {name: value for name, value in version.snapshot.items() if name in spec.all_names}
    when = timezone.localtime(version.history_date)
    revision = Revision.objects.create(
        organisation=organisation_of(listing),
        service=listing if isinstance(listing, Service) else None,
        kind=RevisionKind.RESTORE,
        data=data,
        base=snapshot_of(listing),
        author=actor,
    )
    _approve(revision, reviewer=actor, reason=f"Restored the version of {when:%d %B %Y, %H:%M}.")
    return revision


# The shared steps --------------------------------------------------------------------------------


def _require_pending(revision: Revision) -> None:
    if not revision.is_pending:
        raise ValidationError(f"This change was already {revision.get_status_display().lower()}.")


def _require_reviewer(user) -> None:
    if not (user and user.is_active and user.is_staff and user.has_perm("editing.approve_revision")):
        raise PermissionDenied("Only directory staff can approve changes.")


def _after_submit(revision: Revision, listing) -> Revision:
    audit_record(
        actor=revision.author,
        action="revision_submitted",
        record=listing,
        detail={
            "revision": revision.pk,
            "fields": changed_names(spec_for(listing), revision.base, revision.data),
        },
    )
    if revision.organisation.is_trusted:
        _approve(revision, reviewer=None, reason="Published when submitted: the organisation is trusted.")
    return revision


def _approve(revision: Revision, *, reviewer, reason: str) -> None:
    listing = _locked(revision.listing)
    spec = spec_for(listing)
    clashes = clashing_names(spec, base=revision.base, proposed=revision.data, current=snapshot_of(listing))
    if clashes:
        raise RevisionConflict(revision, [spec.label(name) for name in clashes])
    names = changed_names(spec, revision.base, revision.data)
    listing._history_user = reviewer or revision.author
    listing._change_reason = f"{revision.get_kind_display()} (revision {revision.pk}) by {revision.author}"[
        :100
    ]
    if listing.publication_state == PublicationState.DRAFT:
        listing.publication_state = PublicationState.PUBLISHED
    if revision.kind != RevisionKind.RESTORE:
        # The organisation has just gone through the listing and staff agreed: that is a check.
        listing.last_verified_on = timezone.localdate()
        listing.review_due_on = review_due_after(listing.last_verified_on, listing=listing)
    _write_listing(
        listing, spec, revision.data, names=names, files={f.field_name: f.file for f in revision.files.all()}
    )
    _decide(revision, status=RevisionStatus.APPROVED, reviewer=reviewer, reason=reason)
    action = "version_restored" if revision.kind == RevisionKind.RESTORE else "revision_approved"
    audit_record(
        actor=reviewer or revision.author,
        action=action,
        record=listing,
        detail={"revision": revision.pk, "fields": names, "automatic": reviewer is None},
    )


def _decide(revision: Revision, *, status: str, reviewer, reason: str) -> None:
    revision.status = status
    revision.reviewer = reviewer
    revision.reason = reason
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "reviewer", "reason", "decided_at"])


def _write_listing(listing, spec: ListingSpec, data: Snapshot, *, names, files: dict | None = None) -> None:
    """Write the named snapshot values onto the listing, its many-to-many fields and its rows.

    The caller holds the transaction. Related choices are filtered through `choices_for`, so a
    snapshot can never link a listing to another organisation's places.
    """
    files = files or {}
    organisation = organisation_of(listing)
    with refresh_paused():
        for name in (name for name in names if name in spec.fields):
            model_field = spec.model_field(name)
            if model_field.many_to_many:
                continue
            if name in files:
                getattr(listing, name).save(PurePosixPath(files[name].name).name, files[name], save=False)
            else:
                setattr(listing, model_field.attname, from_json(model_field, data[name]))
        listing.full_clean()
        listing.save()
        for name in (name for name in names if name in spec.fields):
            model_field = spec.model_field(name)
            if model_field.many_to_many:
                getattr(listing, name).set(choices_for(model_field, organisation).filter(pk__in=data[name]))
        for child in (child for child in spec.children if child.name in names):
            child.write(listing, organisation, data[child.name])
    history_refresh(listing)


def _store_uploads(revision: Revision, uploads: dict[str, File]) -> None:
    """Keep new files beside the revision and note their stored names in its snapshot."""
    for name, upload in uploads.items():
        kept = RevisionFile.objects.create(revision=revision, field_name=name, file=upload)
        revision.data[name] = kept.file.name
    if uploads:
        revision.save(update_fields=["data"])


def _supersede_earlier(revision: Revision) -> None:
    """Withdraw the author's earlier pending changes to the same listing, keeping their uploads.

    The new revision was edited from the earlier one, so it replaces it; a file uploaded then
    and not replaced now moves across.
    """
    earlier = (
        Revision.objects.pending()
        .of_listing(revision.listing)
        .filter(author=revision.author)
        .exclude(pk=revision.pk)
    )
    for old in earlier:
        for kept in old.files.exclude(field_name__in=revision.files.values("field_name")):
            if revision.data.get(kept.field_name) == revision.base.get(kept.field_name):
                kept.revision = revision
                kept.save(update_fields=["revision"])
                revision.data[kept.field_name] = kept.file.name
        _decide(old, status=RevisionStatus.WITHDRAWN, reviewer=None, reason=SUPERSEDED_REASON)
    revision.save(update_fields=["data"])


def _insert_with_free_slug(service: Service, data: Snapshot, *, write) -> None:
    """Give the new service a free address and `write` it, trying the next if another takes it first.

    Checking an address is free and then inserting is a race: two editors proposing the same name
    at once both see it free. The slug's unique index decides; the loser's insert is undone to a
    savepoint and tried again under the next address, so both proposals are kept.
    """
    tried: frozenset[str] = frozenset()
    for _ in range(SLUG_ATTEMPTS):
        service.slug = free_slug(Service, data.get("name") or "", fallback="service", tried=tried)
        try:
            with transaction.atomic():
                write()
            return
        except (IntegrityError, ValidationError) as error:
            if not _slug_taken(error, service.slug):
                raise
        tried |= {service.slug}
    raise ValidationError("Other services with this name were added at the same moment. Send it again.")


def _slug_taken(error: IntegrityError | ValidationError, slug: str) -> bool:
    """Whether the write failed only because another service took the slug in the meantime."""
    if isinstance(error, ValidationError):  # full_clean saw the other service's committed row
        return set(getattr(error, "error_dict", {})) == {"slug"}
    return Service.objects.filter(slug=slug).exists()


def _email_outcome(revision: Revision) -> None:
    """Tell the author whether their change was approved, once the decision is committed."""
    author = revision.author
    if not author or not author.email or author == revision.reviewer:
        return
    context = {"revision": revision, "link": settings.SITE_URL + revision.get_absolute_url()}
    email_send_on_commit(
        subject=render_email_subject("editing/email/outcome_subject.txt", context),
        body=render_to_string("editing/email/outcome_body.txt", context),
        recipients=[author.email],
    )
