"""Option counts for the service filters: how many results each choice would give.

Each facet is counted against the results of every *other* active filter, so ticking
a box shows the numbers you would get; a fixed number of grouped queries whatever
the page size.
"""

from dataclasses import dataclass, field, replace

from django.db.models import Case, Count, Q, Value, When
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from initiatives.caching import cached, search_key
from initiatives.models import AccessRoute, Audience, DeliveryMode, Need, Service, ServiceKind

from .filter_fields import DAY_CHOICES, DISTANCE_CHOICES


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0
    remove_query: str = ""  # the current query without this choice, for "remove filter" links


@dataclass
class Facet:
    name: str
    legend: str
    options: list[FacetOption] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def options_html(self) -> SafeString:
        """A box inside its label for each option, with its count (`{{ facet.options_html }}`): written
        here rather than in the template, where the fifty-odd options of a list page took a tenth of
        its time."""
        return format_html_join(
            "",
            '<li{}><label><input type="checkbox" name="{}" value="{}"{}> {} <span class="count">({}'
            '<span class="visually-hidden"> {}</span>)</span></label></li>\n',
            (
                (
                    format_html(' class="depth-{}"', option.depth) if option.depth else "",
                    self.name,
                    option.value,
                    " checked" if option.selected else "",
                    option.label,
                    option.count,
                    "result" if option.count == 1 else "results",
                )
                for option in self.options
            ),
        )


def service_facets(filterset, result_ids: list[int] | None) -> list[Facet]:
    """The facets for this query, counted once and kept a short while (see caching.py).

    `result_ids`, if given, are the search's results, worked out already: a facet whose own filter is
    not in use counts among them, rather than running the search once more.
    """
    key = search_key(filterset)
    count = lambda: _count_facets(filterset, result_ids)  # noqa: E731
    return cached(f"facets:{key}", count) if key else count()


def _count_facets(filterset, result_ids) -> list[Facet]:
    cleaned = filterset.form.cleaned_data
    raw = filterset.form.data

    def base_without(name):
        if result_ids is not None and not cleaned.get(name):
            return filterset.queryset.among(result_ids).order_by()
        return filterset.filter_queryset_except(filterset.queryset, exclude={name}).order_by()

    facets = [
        _need_facet(base_without("need"), set(raw.getlist("need"))),
        _audience_facet(base_without("audience"), set(raw.getlist("audience"))),
        *_column_facets(base_without, cleaned, raw),
    ]
    for facet in facets:
        facet.errors = filterset.form.errors.get(facet.name, [])
    return [_with_remove_links(facet, raw) for facet in facets]


def selected_options(facets: list[Facet], form) -> list[FacetOption]:
    """Every filter chosen, each with a link that removes it: the ticked options, then the
    age, distance and days, which have no counts (the postcode stays in the search box)."""
    ticked = [option for facet in facets for option in facet.options if option.selected]
    return ticked + _chosen_conditions(form)


def _chosen_conditions(form) -> list[FacetOption]:
    cleaned = getattr(form, "cleaned_data", {})
    query = form.data
    chosen = []
    if cleaned.get("age") is not None and "age" not in form.errors:
        chosen.append(("age", query.get("age"), f"Age {cleaned['age']}"))
    if cleaned.get("distance"):
        chosen.append(("distance", cleaned["distance"], dict(DISTANCE_CHOICES)[cleaned["distance"]]))
    if cleaned.get("open_now"):
        chosen.append(("open_now", query.get("open_now"), "Open now"))
    days = dict(DAY_CHOICES)
    chosen += [("day", day, f"Open on {days[day]}") for day in cleaned.get("day") or []]
    if cleaned.get("include_ended"):
        chosen.append(("include_ended", query.get("include_ended"), "Including past events"))
    return [
        FacetOption(value, label, 0, True, remove_query=_query_without(query, name, value))
        for name, value, label in chosen
    ]


def _query_without(query, name: str, value: str) -> str:
    remaining = query.copy()
    remaining.setlist(name, [v for v in query.getlist(name) if v != value])
    remaining.pop("page", None)
    return "?" + remaining.urlencode()


def _with_remove_links(facet: Facet, query) -> Facet:
    facet.options = [
        replace(option, remove_query=_query_without(query, facet.name, option.value))
        if option.selected
        else option
        for option in facet.options
    ]
    return facet


def _need_facet(queryset, selected) -> Facet:
    needs = list(Need.objects.only("id", "name", "slug", "parent_id", "position"))
    counts = _need_counts(queryset, needs)
    facet = Facet("need", "What you need help with")
    for need, depth in _tree_order(needs):
        facet.options.append(
            FacetOption(need.slug, need.name, counts.get(need.pk, 0), need.slug in selected, depth)
        )
    return facet


def _need_counts(queryset, needs) -> dict[int, int]:
    """Count services under each need in one query, a need counting the services of the needs below it.

    Each level of the tree groups the links by the need's ancestor at that level, so a service tagged
    with two needs under one counts once; the levels are joined with UNION ALL.
    """
    parent_of = {need.pk: need.parent_id for need in needs}

    def ancestry(need_id):
        chain = [need_id]
        # Stop at a repeat too, so a loop saved by mistake cannot hang the page.
        while parent_of.get(chain[-1]) and parent_of[chain[-1]] not in chain:
            chain.append(parent_of[chain[-1]])
        return list(reversed(chain))  # root first

    chains = [ancestry(need_id) for need_id in parent_of]
    links = Service.needs.through.objects.filter(service__in=queryset.values("pk"))
    levels = []
    for level in range(max(map(len, chains), default=0)):
        groups: dict[int, list[int]] = {}
        for chain in chains:
            if len(chain) > level:
                groups.setdefault(chain[level], []).append(chain[-1])
        levels.append(
            links.annotate(
                ancestor=Case(*(When(need_id__in=ids, then=Value(top)) for top, ids in groups.items()))
            )
            .exclude(ancestor=None)
            .values("ancestor")
            .annotate(services=Count("service", distinct=True))
            .values_list("ancestor", "services")
        )
    if not levels:
        return {}
    return dict(levels[0].union(*levels[1:], all=True))


def _tree_order(needs):
    children: dict[int | None, list[Need]] = {}
    for need in needs:
        children.setdefault(need.parent_id, []).append(need)

    def walk(parent_id, depth):
        for need in children.get(parent_id, []):
            yield need, depth
            yield from walk(need.pk, depth + 1)

    return list(walk(None, 0))


def _audience_facet(queryset, selected) -> Facet:
    """The groups and their counts in one query: IN an uncorrelated subquery, listed once."""
    audiences = Audience.objects.only("id", "name", "slug").annotate(
        results=Count("services", filter=Q(services__in=queryset.values("pk")))
    )
    facet = Facet("audience", "Who it is for")
    for audience in audiences:
        facet.options.append(
            FacetOption(audience.slug, audience.name, audience.results, audience.slug in selected)
        )
    return facet


def _column_facets(base_without, cleaned, raw) -> list[Facet]:
    """Modes, cost, access and type are columns of the service: count them with one aggregate per base."""
    specs = [
        (
            "mode",
            "How you want help",
            [(mode.value, mode.label, Q(**{mode.field_name: True})) for mode in DeliveryMode],
        ),
        ("free", "Cost", [("on", "Free of charge", Q(is_free=True))]),
        (
            "access",
            "How to start",
            [(route.value, route.label, Q(**{route.field_name: True})) for route in AccessRoute],
        ),
        ("kind", "Type", [(kind.value, kind.label, Q(kind=kind.value)) for kind in ServiceKind]),
    ]
    active = [name for name, _, _ in specs if cleaned.get(name)]
    # Inactive facets share the fully filtered base, so they share one query.
    by_base: dict[str | None, list] = {}
    for spec in specs:
        by_base.setdefault(spec[0] if spec[0] in active else None, []).append(spec)
    counts: dict[tuple[str, str], int] = {}
    for base_name, group in by_base.items():
        aggregates = {
            f"{name}__{value}": Count("pk", filter=condition)
            for name, _, options in group
            for value, _, condition in options
        }
        for key, count in base_without(base_name).aggregate(**aggregates).items():
            counts[tuple(key.split("__", 1))] = count
    selected = {name: set(raw.getlist(name)) for name, _, _ in specs}
    selected["free"] = {"on"} if cleaned.get("free") else set()
    return [
        Facet(
            name,
            legend,
            [
                FacetOption(value, label, counts[(name, value)], value in selected[name])
                for value, label, _ in options
            ],
        )
        for name, legend, options in specs
    ]
