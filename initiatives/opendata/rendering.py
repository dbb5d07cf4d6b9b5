"""Responses in Open Referral UK's shapes: a record, a page of records, or every record as NDJSON.

The views serialise here rather than leaving it to ninja because one endpoint can answer in several
shapes (`full`, `minimal`), which ninja's response validation cannot choose between; the shapes
themselves are still the schemas in schemas.py, which also document the endpoints. Absent optional
values are left out (exclude_none): the official schemas allow only a string or a number there.

Validating every row with pydantic is most of a list's time, so a schema whose fields need no
conversion (plain_fields) is filled straight from its resolvers and attributes, as ninja fills it,
and only turned into JSON by pydantic; tests/opendata/test_api_queries.py holds the two equal.
"""

import datetime
import json
import types
import typing
from collections.abc import Callable, Iterable
from functools import cache
from uuid import UUID

from django.db.models import QuerySet
from django.http import JsonResponse, StreamingHttpResponse
from ninja import Schema
from pydantic_core import PydanticUndefined, to_jsonable_python

from .params import ListParams
from .queries import paginate

NDJSON_CHUNK = 200  # rows read per query while streaming: memory stays flat at any size


# Values pydantic passes through unchanged and to_jsonable_python writes as it would.
PLAIN_TYPES = (str, int, bool, UUID, datetime.date, datetime.datetime)


def serialised(row, schema: type[Schema]) -> dict:
    if plain_fields(schema) is None:
        return schema.from_orm(row).model_dump(mode="json", exclude_none=True)
    return to_jsonable_python(_plain(row, schema))


def _plain(row, schema: type[Schema]) -> dict:
    """What schema.from_orm(row).model_dump(exclude_none=True) gives, without the validation."""
    data = {}
    for name, attribute, default, nested in plain_fields(schema):
        resolver = getattr(schema, f"resolve_{name}", None)
        if resolver is not None:
            value = resolver(row)
        elif isinstance(row, dict):
            value = row.get(attribute, default)
        else:
            value = getattr(row, attribute, default)
        if value is None:
            continue
        if nested is not None and isinstance(value, list):
            value = [_plain(item, nested) for item in value]
        elif nested is not None:
            value = _plain(value, nested)
        data[name] = value
    return data


@cache
def plain_fields(schema: type[Schema]) -> tuple | None:
    """(name, attribute read, default, nested schema) for each field, or None when some field is
    of a type pydantic would convert (a float from a Decimal, a choice between schemas)."""
    fields = []
    for name, field in schema.model_fields.items():
        kind = _plain_kind(field.annotation)
        if kind is None:
            return None
        default = None if field.default is PydanticUndefined else field.default
        nested = kind if isinstance(kind, type) and issubclass(kind, Schema) else None
        fields.append((name, field.alias or name, default, nested))
    return tuple(fields)


def _plain_kind(annotation):
    """The plain type or nested plain schema a field holds (optional, or a list), or None."""
    arguments = [argument for argument in typing.get_args(annotation) if argument is not type(None)]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return _plain_kind(arguments[0]) if len(arguments) == 1 else None
    if typing.get_origin(annotation) is list:
        return _plain_kind(arguments[0])
    if isinstance(annotation, type) and issubclass(annotation, Schema):
        return annotation if plain_fields(annotation) is not None else None
    return annotation if annotation in PLAIN_TYPES else None


def record(row, schema: type[Schema]) -> JsonResponse:
    return JsonResponse(serialised(row, schema))


def listing(rows, params: ListParams, schema: type[Schema], *, each: Callable | None = None):
    """One page of `rows` in the paging envelope, or all of them as NDJSON (`format=ndjson`).

    `each` turns a row into what the schema reads, where the two differ (a link row, say).
    """
    shape = (lambda row: serialised(each(row), schema)) if each else (lambda row: serialised(row, schema))
    if params.format == "ndjson":
        lines = (json.dumps(shape(row)) + "\n" for row in _all(rows))
        return StreamingHttpResponse(lines, content_type="application/x-ndjson")
    page = paginate(rows, page=params.page, per_page=params.per_page)
    page["contents"] = [shape(row) for row in page["contents"]]
    return JsonResponse(page)


def _all(rows) -> Iterable:
    return rows.iterator(chunk_size=NDJSON_CHUNK) if isinstance(rows, QuerySet) else iter(rows)
