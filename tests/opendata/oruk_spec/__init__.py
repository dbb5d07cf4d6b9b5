"""The official Open Referral UK 3.0 schemas and OpenAPI document (vendored here, see README.md), ready
to validate against with no network: their remote `$ref` addresses resolve to the local copies.
"""

import copy
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HERE = Path(__file__).parent
VALIDATOR_SCHEMAS = HERE / "validator_schemas"
VALIDATOR_MOCKS = HERE / "validator_mocks"
UK_PROFILE = HERE / "uk_profile"
# Where the official OpenAPI document says its schemas live.
REMOTE_SCHEMAS = "https://raw.githubusercontent.com/tpximpact/OpenReferralApi/refs/heads/main/OpenReferralApi/Schemas/V3.0-UK/"
OPENAPI_URI = "urn:oruk:open_api.json"  # the official OpenAPI document, for references into it


def _load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    """Every vendored schema under its remote address, so `$ref`s to it resolve locally."""
    resources = [
        (REMOTE_SCHEMAS + path.name, Resource.from_contents(_load(path), default_specification=DRAFT202012))
        for path in sorted(VALIDATOR_SCHEMAS.glob("*.json"))
    ]
    openapi = Resource.from_contents(
        _load(VALIDATOR_SCHEMAS / "open_api.json"), default_specification=DRAFT202012
    )
    return Registry().with_resources([*resources, (OPENAPI_URI, openapi)]).crawl()


@cache
def _validator(reference: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": reference}, registry=_registry(), format_checker=FormatChecker())


def problems(body, schema_name: str) -> list[str]:
    """Every way `body` breaks one official schema, e.g. "service.json", as "where: what" lines
    (empty when it conforms). Formats are checked too: uuid, uri, email, date-time."""
    return _problems(body, REMOTE_SCHEMAS + schema_name)


def response_problems(body, path: str) -> list[str]:
    """Every way `body` breaks what the official OpenAPI document says GET `path` answers with 200,
    `path` as the document writes it, e.g. "/services/{id}" — as the national validator checks."""
    pointer = "/".join(["", "paths", path.replace("~", "~0").replace("/", "~1"), "get", "responses", "200"])
    return _problems(body, f"{OPENAPI_URI}#{pointer}/content/application~1json/schema")


def page_problems(body) -> list[str]:
    """Every way `body` breaks the official paging envelope (the document's Page component)."""
    return _problems(body, f"{OPENAPI_URI}#/components/schemas/Page")


def _problems(body, reference: str) -> list[str]:
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(top)'}: {error.message}"
        for error in sorted(_validator(reference).iter_errors(body), key=lambda error: list(error.path))
    ]


@cache
def official_openapi() -> dict:
    """The validator's OpenAPI document with each remote `$ref` replaced by the schema it names.

    Two adaptations, both needed before any tool can read it, neither changing what it requires: the
    version string "3.0" becomes "3.0.3" (OpenAPI versions have three parts), and remote references
    are inlined because the tests have no network.
    """
    document = _load(VALIDATOR_SCHEMAS / "open_api.json")
    document["openapi"] = "3.0.3"
    return _inline_remote_refs(document)


def _inline_remote_refs(node):
    if isinstance(node, dict):
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith(REMOTE_SCHEMAS):
            return _inline_remote_refs(
                copy.deepcopy(_load(VALIDATOR_SCHEMAS / reference.removeprefix(REMOTE_SCHEMAS)))
            )
        return {key: _inline_remote_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_remote_refs(item) for item in node]
    return node


def mock(name: str):
    """One of the validator's own test-feed files, e.g. "service_list_data.json"."""
    return _load(VALIDATOR_MOCKS / name)
