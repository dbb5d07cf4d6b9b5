"""Responses in Open Referral UK's shapes: a record, a page of records, or every record as NDJSON.

The views serialise here rather than leaving it to ninja because one endpoint can answer in several
shapes (`full`, `minimal`), which ninja's response validation cannot choose between; the shapes
themselves are still the schemas in schemas.py, which also document the endpoints. Absent optional
values are left out (exclude_none): the official schemas allow only a string or a number there.
"""

import json
from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.http import JsonResponse, StreamingHttpResponse
from ninja import Schema

from .params import ListParams
from .queries import paginate

NDJSON_CHUNK = 200  # rows read per query while streaming: memory stays flat at any size


def serialised(row, schema: type[Schema]) -> dict:
    return schema.from_orm(row).model_dump(mode="json", exclude_none=True)


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
