"""Where need is high and support thin: each need's local figures beside the services that meet it.

The counts follow the public need pages: a need's services include those of the needs
below it, counted once each, and only published services that have not ended. They
come from two grouped queries whatever the number of needs or services.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from initiatives.models import Audience, DeliveryMode, Need, Service

from .formatting import figure
from .judgements import NOT_ENOUGH_DATA, Judgement
from .models import Indicator, IndicatorNeed

# Fewer current services than this, for a need whose figures look worse, is flagged as a possible gap.
THIN_SUPPORT = 3
NO_AUDIENCE = "No audience set"


@dataclass
class NeedEvidence:
    need: Need
    depth: int  # 0 for a top-level need
    indicators: list[Indicator] = field(default_factory=list)
    services: int = 0
    by_mode: dict[str, int] = field(default_factory=dict)  # DeliveryMode value -> services
    by_audience: list[int] = field(default_factory=list)  # in the order of EvidenceTable.audiences

    @property
    def warnings(self) -> list[Judgement]:
        """The judgements that say the local picture is worse: against an area or over time."""
        found = []
        for indicator in self.indicators:
            assessment = indicator.assessment
            found += [judgement for judgement in assessment.comparisons if judgement.is_worse]
            if assessment.trend is not None and assessment.trend.is_worse:
                found.append(assessment.trend)
        return found

    @property
    def is_possible_gap(self) -> bool:
        return bool(self.warnings) and self.services < THIN_SUPPORT

    @property
    def mode_counts(self) -> list[int]:
        return [self.by_mode.get(mode.value, 0) for mode in DeliveryMode]


@dataclass
class EvidenceTable:
    rows: list[NeedEvidence]
    audiences: list[str]  # column headings, ending with NO_AUDIENCE
    modes: list[str] = field(default_factory=lambda: [mode.label for mode in DeliveryMode])


def _in_tree_order(needs: list[Need]) -> list[tuple[Need, int]]:
    children_of: dict[int | None, list[Need]] = {}
    for need in needs:  # already in (position, name) order
        children_of.setdefault(need.parent_id, []).append(need)
    ordered: list[tuple[Need, int]] = []

    def visit(parent_id, depth):
        for need in children_of.get(parent_id, []):
            ordered.append((need, depth))
            visit(need.pk, depth + 1)

    visit(None, 0)
    return ordered


def _subtrees(ordered: list[tuple[Need, int]]) -> dict[int, list[int]]:
    """Each need's id with the ids of every need below it, from the tree order."""
    subtree: dict[int, list[int]] = {}
    for index, (need, depth) in enumerate(ordered):
        ids = [need.pk]
        for other, other_depth in ordered[index + 1 :]:
            if other_depth <= depth:
                break
            ids.append(other.pk)
        subtree[need.pk] = ids
    return subtree


def _support_counts(subtree: dict[int, list[int]]) -> tuple[dict, dict]:
    """Count current published services per need: in total, by delivery mode and by audience."""
    tags = Service.needs.through.objects.filter(service__in=Service.objects.published().current())
    totals = {}
    for need_id, ids in subtree.items():
        in_need = Q(need_id__in=ids)
        totals[f"n{need_id}"] = Count("service_id", distinct=True, filter=in_need)
        for mode in DeliveryMode:
            with_mode = in_need & Q(**{f"service__{mode.field_name}": True})
            totals[f"n{need_id}_{mode.value}"] = Count("service_id", distinct=True, filter=with_mode)
    by_total = tags.aggregate(**totals) if totals else {}

    per_audience = {
        f"n{need_id}": Count("service_id", distinct=True, filter=Q(need_id__in=ids))
        for need_id, ids in subtree.items()
    }
    if not per_audience:
        return by_total, {}
    grouped = tags.values(audience_id=F("service__audiences")).annotate(**per_audience)
    return by_total, {row.pop("audience_id"): row for row in grouped}


def need_evidence() -> EvidenceTable:
    """Every need in tree order with its linked published indicators and its current services."""
    ordered = _in_tree_order(list(Need.objects.select_related("parent").order_by("position", "name")))
    audiences = list(Audience.objects.order_by("position", "name"))
    indicators = {indicator.pk: indicator for indicator in Indicator.objects.published().with_figures()}
    linked: dict[int, list[Indicator]] = {}
    for need_id, indicator_id in IndicatorNeed.objects.filter(indicator_id__in=indicators).values_list(
        "need_id", "indicator_id"
    ):
        linked.setdefault(need_id, []).append(indicators[indicator_id])

    by_total, by_audience = _support_counts(_subtrees(ordered))
    rows = []
    for need, depth in ordered:
        key = f"n{need.pk}"
        rows.append(
            NeedEvidence(
                need=need,
                depth=depth,
                indicators=sorted(linked.get(need.pk, []), key=lambda indicator: indicator.title),
                services=by_total.get(key, 0),
                by_mode={mode.value: by_total.get(f"{key}_{mode.value}", 0) for mode in DeliveryMode},
                by_audience=[
                    by_audience.get(audience_id, {}).get(key, 0)
                    for audience_id in [audience.pk for audience in audiences] + [None]
                ],
            )
        )
    return EvidenceTable(rows, [audience.name for audience in audiences] + [NO_AUDIENCE])


def _figure_text(indicator) -> str:
    point = indicator.latest_home_figure
    if point is None:
        return f"{indicator.title}: no figure yet"
    sentences = [judgement.sentence for judgement in indicator.assessment.comparisons]
    trend = indicator.assessment.trend
    if trend is not None and trend.relation != NOT_ENOUGH_DATA:
        sentences.append(trend.sentence)
    return f"{indicator.title}: {figure(point)} in {point.period_label}. " + " ".join(sentences)


def evidence_csv_rows(table: EvidenceTable) -> list[list]:
    """The evidence table as CSV rows, headings first: the same figures and counts as the page."""
    rows = [
        [
            "need",
            "part of",
            "local figures and judgements",
            "judgements showing worse",
            "current services",
            *(f"services {mode.lower()}" for mode in table.modes),
            *(f"services for: {audience}" for audience in table.audiences),
            "possible gap",
        ]
    ]
    for row in table.rows:
        rows.append(
            [
                row.need.name,
                row.need.parent.name if row.need.parent_id else "",
                " | ".join(_figure_text(indicator) for indicator in row.indicators),
                len(row.warnings),
                row.services,
                *row.mode_counts,
                *row.by_audience,
                "yes" if row.is_possible_gap else "no",
            ]
        )
    return rows
