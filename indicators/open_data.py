"""Each indicator as open data: CSV rows (in the import format, plus context) and a JSON document."""

from decimal import Decimal

from django.utils.text import slugify

# The first columns are the import format (see README), so a download can be edited and imported again.
CSV_COLUMNS = [
    "indicator",
    "area_code",
    "period_label",
    "period_start",
    "period_end",
    "value",
    "lower_limit",
    "upper_limit",
    "sample_size",
    "rank",
    "rank_out_of",
    "source",
    "area_name",
    "indicator_title",
    "unit",
    "stated_trend",
    "stated_comparisons",
    "status_note",
    "source_url",
    "source_licence",
]


def plain_number(value: Decimal | None) -> str:
    """'4.34' rather than '4.3400', '8000' rather than '8E+3'."""
    return "" if value is None else format(value.normalize(), "f")


def json_number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def source_key(source) -> str:
    return f"{source.publisher}|{source.title}"


def _chronological(points) -> list:
    return sorted(points, key=lambda point: (point.period_start, point.period_end, point.area.name))


def _stated_comparisons_text(point) -> str:
    return "; ".join(
        f"{comparison.get_relation_display()} {comparison.wording or comparison.comparator.name}"
        for comparison in point.stated_comparisons.all()
    )


def csv_rows(indicator) -> list[list[str]]:
    """One row per data point, oldest first, for an indicator loaded `with_figures()`."""
    rows = []
    for point in _chronological(indicator.figures):
        source = point.cited_source
        rows.append(
            [
                indicator.slug,
                point.area.code,
                point.period_label,
                point.period_start.isoformat(),
                point.period_end.isoformat(),
                plain_number(point.value),
                plain_number(point.lower_limit),
                plain_number(point.upper_limit),
                "" if point.sample_size is None else str(point.sample_size),
                "" if point.rank is None else str(point.rank),
                "" if point.rank_out_of is None else str(point.rank_out_of),
                source_key(source),
                point.area.name,
                indicator.title,
                indicator.unit,
                point.get_stated_trend_display() if point.stated_trend else "",
                _stated_comparisons_text(point),
                point.status_note,
                source.url,
                source.licence,
            ]
        )
    return rows


def _source_document(source) -> dict:
    return {
        "publisher": source.publisher,
        "title": source.title,
        "url": source.url,
        "published": source.published_label,
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "accessed": source.accessed_label,
        "licence": source.licence,
        "notes": source.notes,
    }


def _judgement_document(judgement) -> dict:
    return {
        "comparator": judgement.comparator.code if judgement.comparator is not None else None,
        "relation": judgement.relation,
        "judgement": judgement.judgement,
        "as_stated_by_source": judgement.stated,
        "sentence": judgement.sentence,
    }


def json_document(indicator, *, url: str) -> dict:
    """The indicator, its source and licence, every data point and the derived judgements."""
    assessment = indicator.assessment
    return {
        "indicator": {
            "slug": indicator.slug,
            "title": indicator.title,
            "url": url,
            "definition": indicator.definition,
            "why_it_matters": indicator.why_it_matters,
            "value_type": indicator.value_type,
            "unit": indicator.unit,
            "decimal_places": indicator.decimal_places,
            "polarity": indicator.polarity,
            "rank_scope": indicator.rank_scope,
            "frequency": indicator.frequency,
            "caveats": indicator.caveats,
        },
        "source": _source_document(indicator.source),
        "licence": indicator.source.licence,
        "latest": {
            "summary": assessment.summary,
            "comparisons": [_judgement_document(judgement) for judgement in assessment.comparisons],
            "trend": _judgement_document(assessment.trend) if assessment.trend else None,
        },
        "data_points": [
            {
                "area": {"name": point.area.name, "code": point.area.code, "kind": point.area.kind},
                "period_label": point.period_label,
                "period_start": point.period_start.isoformat(),
                "period_end": point.period_end.isoformat(),
                "value": json_number(point.value),
                "lower_limit": json_number(point.lower_limit),
                "upper_limit": json_number(point.upper_limit),
                "sample_size": point.sample_size,
                "rank": point.rank,
                "rank_out_of": point.rank_out_of,
                "stated_trend": point.stated_trend or None,
                "stated_comparisons": [
                    {
                        "comparator": comparison.comparator.code,
                        "relation": comparison.relation,
                        "wording": comparison.wording,
                    }
                    for comparison in point.stated_comparisons.all()
                ],
                "status_note": point.status_note,
                "source": _source_document(point.cited_source),
            }
            for point in _chronological(indicator.figures)
        ],
    }


def download_name(indicator, extension: str) -> str:
    return f"{slugify(indicator.slug)}.{extension}"
