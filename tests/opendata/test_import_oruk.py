"""import_oruk: another directory's saved Open Referral UK pages become drafts, idempotently."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from initiatives.models import AuditEntry, Organisation, Service, ServiceStatus
from initiatives.publishing import PublicationState
from tests.factories import AudienceFactory, NeedFactory

pytestmark = pytest.mark.django_db


def _service(number, **extra):
    return {
        "id": f"svc-{number}",
        "name": f"Feed service {number}",
        "description": f"What feed service {number} does.\nMore detail.",
        "url": f"https://example.org/services/{number}",
        "status": "active",
        "minimum_age": 16,
        "maximum_age": 25,
        "organization": {"id": "org-1", "name": "Feed Org", "description": "An organisation in the feed."},
        **extra,
    }


def _page(*services):
    return {"total_items": len(services), "total_pages": 1, "page_number": 1, "contents": list(services)}


@pytest.fixture
def feed(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "services-1.json").write_text(json.dumps(_page(_service(1), _service(2, status="defunct"))))
    (folder / "services-2.json").write_text(json.dumps(_page(_service(3))))
    return folder


def _import(*paths, source="test-feed"):
    out, err = StringIO(), StringIO()
    call_command("import_oruk", *map(str, paths), source=source, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_feed_becomes_draft_listings(feed):
    output, _ = _import(feed)

    assert "3 created" in output
    organisation = Organisation.objects.get(external_source="test-feed", external_id="org-1")
    assert organisation.publication_state == PublicationState.DRAFT
    services = Service.objects.filter(organisation=organisation).order_by("external_id")
    assert [s.external_id for s in services] == ["svc-1", "svc-2", "svc-3"]
    first = services[0]
    assert (first.name, first.summary, first.website) == (
        "Feed service 1",
        "What feed service 1 does.",
        "https://example.org/services/1",
    )
    assert (first.minimum_age, first.maximum_age, first.publication_state) == (16, 25, PublicationState.DRAFT)
    assert services[1].status == ServiceStatus.ENDED
    assert not Service.objects.published().exists()
    assert AuditEntry.objects.filter(action="import_oruk").count() == 4


def test_importing_again_changes_nothing_and_updates_drafts_only(feed):
    _import(feed)
    output, _ = _import(feed)
    assert "0 created, 0 updated, 3 unchanged" in output
    assert Service.objects.count() == 3 and Organisation.objects.count() == 1

    Service.objects.filter(external_id="svc-3").update(publication_state=PublicationState.PUBLISHED)
    (feed / "services-2.json").write_text(json.dumps(_page(_service(3, name="Renamed"))))
    (feed / "services-1.json").write_text(json.dumps(_page(_service(1, name="Renamed one"))))
    output, _ = _import(feed)
    assert "1 updated" in output and "1 kept" in output
    assert Service.objects.get(external_id="svc-1").name == "Renamed one"
    assert Service.objects.get(external_id="svc-3").name == "Feed service 3"  # reviewed: left alone


def test_the_same_ids_from_another_source_are_other_records(feed):
    _import(feed, source="one")
    _import(feed, source="two")
    assert Service.objects.count() == 6


def test_taxonomy_terms_matching_our_needs_are_linked(tmp_path):
    need = NeedFactory(name="Digital skills")
    audience = AudienceFactory(name="Carers")
    attributes = [
        {"id": "a1", "taxonomy_term": {"id": "t1", "term": "digital skills"}},
        {"id": "a2", "taxonomy_term": {"id": "t2", "term": "Carers"}},
        {"id": "a3", "taxonomy_term": {"id": "t3", "term": "Something we do not list"}},
    ]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_service(1, attributes=attributes)))
    _import(path)
    service = Service.objects.get()
    assert list(service.needs.all()) == [need] and list(service.audiences.all()) == [audience]


def test_bad_records_are_skipped_with_a_reason(tmp_path):
    path = tmp_path / "page.json"
    bad = [_service(2, organization=None), _service(3, url="not a url"), {"name": "no id", **_service(4)}]
    bad[2].pop("id")
    path.write_text(json.dumps(_page(_service(1), *bad)))
    output, errors = _import(path)
    assert "1 created" in output and "3 skipped" in output
    assert "has no organization" in errors and "website: Enter a valid URL" in errors
    assert "has no id" in errors
    assert Service.objects.count() == 1


@pytest.mark.parametrize(
    "content",
    ["not json", '{"something": "else"}', '{"contents": ["text"]}'],
    ids=["text", "object", "strings"],
)
def test_a_broken_file_imports_nothing(tmp_path, content):
    good = tmp_path / "a.json"
    good.write_text(json.dumps(_page(_service(1))))
    broken = tmp_path / "b.json"
    broken.write_text(content)
    with pytest.raises(CommandError, match="Nothing was imported"):
        _import(tmp_path)
    assert not Service.objects.exists()


def test_missing_path_is_reported(tmp_path):
    with pytest.raises(CommandError, match="Not found"):
        _import(tmp_path / "nope.json")
