"""Read another directory's Open Referral UK feed (saved JSON pages) into draft listings for review.

Records are matched on the feed's own ids (stored as external_source + external_id), so importing
the same pages again updates the drafts it made rather than adding copies. A record staff have
already published, archived or sent for review is left alone: the feed never overwrites a decision.
"""

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator, slugify

from initiatives.models import Audience, Need, Organisation, Service, ServiceStatus
from initiatives.publishing import PublicationState
from initiatives.services import audit_record

AUDIT_ACTION = "import_oruk"
FEED_STATUS = {
    "active": ServiceStatus.ACTIVE,
    "inactive": ServiceStatus.TEMPORARILY_CLOSED,
    "temporarily closed": ServiceStatus.TEMPORARILY_CLOSED,
    "defunct": ServiceStatus.ENDED,
}


class FeedError(Exception):
    """A file that is not an Open Referral UK page: the whole import stops before writing anything."""


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.counts[key]} {key}" for key in ("created", "updated", "unchanged", "kept")]
        return ", ".join(parts) + f"; {len(self.problems)} skipped with problems"


def feed_services(paths: Iterable[Path]) -> Iterator[dict]:
    """Every service in the given files (or folders of *.json files), in file-name order."""
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                raise FeedError(f"{file}: not a readable JSON file ({error})") from error
            if isinstance(data, dict) and isinstance(data.get("contents"), list):
                items = data["contents"]  # a page of /services
            elif isinstance(data, list):
                items = data
            elif isinstance(data, dict) and "id" in data:
                items = [data]  # one fully nested service
            else:
                raise FeedError(f"{file}: expected a page with 'contents', a list, or one service")
            for item in items:
                if not isinstance(item, dict):
                    raise FeedError(f"{file}: every service must be a JSON object")
                yield item


def feed_import(*, paths: Iterable[Path], source: str, actor=None) -> ImportReport:
    """Import every service of the feed, each with its organisation, as drafts."""
    services = list(feed_services(paths))  # read every file first: a broken file writes nothing
    report = ImportReport()
    for item in services:
        label = f"service {item.get('id', '?')} ({' '.join(str(item.get('name', '')).split())[:60]})"
        try:
            with transaction.atomic():
                outcome = _import_service(item, source=source, actor=actor)
        except (ValidationError, ValueError, TypeError, KeyError) as error:
            report.problems.append(f"{label}: {_describe(error)}")
            continue
        report.counts[outcome] += 1
    return report


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _text(item: dict, key: str, limit: int | None = None) -> str:
    value = item.get(key)
    text = value.strip() if isinstance(value, str) else ""
    return text[:limit] if limit else text


def _first_line(text: str, limit: int) -> str:
    """The first line, tabs and a Windows line end made plain spaces: a summary must be one line."""
    return Truncator(" ".join(text.partition("\n")[0].split())).chars(limit)


def _age(item: dict, key: str) -> int | None:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 150:
        return None
    return int(value)


def _required_id(item: dict, what: str) -> str:
    external_id = item.get("id")
    if not isinstance(external_id, str | int) or not str(external_id).strip():
        raise ValueError(f"the {what} has no id")
    return str(external_id).strip()[:100]


def _import_service(item: dict, *, source: str, actor) -> str:
    organisation_item = item.get("organization")
    if not isinstance(organisation_item, dict):
        raise ValueError("the service has no organization")
    organisation, _ = _upsert_draft(
        Organisation,
        source=source,
        external_id=_required_id(organisation_item, "organization"),
        values={
            "name": _text(organisation_item, "name", 200),
            "description": _text(organisation_item, "description"),
            "website": _text(organisation_item, "website", 200),
            "email": _text(organisation_item, "email", 254),
        },
        actor=actor,
    )
    description = _text(item, "description")
    minimum_age, maximum_age = _age(item, "minimum_age"), _age(item, "maximum_age")
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
        minimum_age = maximum_age = None  # contradictory limits are left for staff to fill in
    service, outcome = _upsert_draft(
        Service,
        source=source,
        external_id=_required_id(item, "service"),
        values={
            "organisation": organisation,
            "name": _text(item, "name", 200),
            "summary": _first_line(description, 300) or _text(item, "name", 300),
            "description": description,
            "website": _text(item, "url", 200),
            "email": _text(item, "email", 254),
            "status": FEED_STATUS.get(_text(item, "status").lower(), ServiceStatus.ACTIVE),
            "minimum_age": minimum_age,
            "maximum_age": maximum_age,
            "eligibility": _text(item, "eligibility_description"),
            "how_to_access": _text(item, "application_process"),
            "cost_description": _text(item, "fees_description", 300),
        },
        actor=actor,
    )
    if outcome in ("created", "updated"):
        _link_terms(service, item.get("attributes"))
    return outcome


def _upsert_draft(model, *, source: str, external_id: str, values: dict, actor):
    """Create or update the draft that holds this feed record; leave reviewed records alone."""
    record = model.objects.filter(external_source=source, external_id=external_id).first()
    if record is None:
        record = model(
            external_source=source,
            external_id=external_id,
            slug=_free_slug(model, values.get("name", "")),
            publication_state=PublicationState.DRAFT,
        )
        outcome = "created"
    elif record.publication_state != PublicationState.DRAFT:
        return record, "kept"
    elif all(getattr(record, name) == value for name, value in values.items()):
        return record, "unchanged"
    else:
        outcome = "updated"
    for name, value in values.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    audit_record(
        actor=actor, action=AUDIT_ACTION, record=record, detail={"source": source, "result": outcome}
    )
    return record, outcome


def _free_slug(model, name: str) -> str:
    base = slugify(name)[:180] or "imported"
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _link_terms(service: Service, attributes) -> None:
    """Tag the service with our needs and audiences whose names match the feed's taxonomy terms."""
    if not isinstance(attributes, list):
        return
    names = {
        _text(attribute["taxonomy_term"], "term").lower()
        for attribute in attributes
        if isinstance(attribute, dict) and isinstance(attribute.get("taxonomy_term"), dict)
    }
    names.discard("")
    service.needs.set([need for need in Need.objects.all() if need.name.lower() in names])
    service.audiences.set([audience for audience in Audience.objects.all() if audience.name.lower() in names])
