"""Organisations, the services they run, and the vocabularies residents search by."""

import json
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from . import contact, geo
from .addresses import slug_address
from .history import ListingVersion
from .images import ProcessedImageField, RandomName
from .opening_times import MIDNIGHT, MINUTES_PER_DAY, coming_days, minute_of_week, opening_status
from .publishing import PublicationState, Publishable, PublishableQuerySet
from .text_rules import single_line

# Open Referral UK identifies every record by a string id; ours never change, even across databases.
OPEN_DATA_ID_HELP = "Stable public identifier used in the Open Referral UK API, exports and imports."


class Vocabulary(models.Model):
    """A staff-curated term residents choose from: a need or an audience."""

    name = models.CharField(max_length=100, unique=True, validators=[single_line])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(help_text="One or two plain-English sentences a resident will read.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")
    uuid = models.UUIDField(
        "open data id", default=uuid.uuid4, unique=True, editable=False, help_text=OPEN_DATA_ID_HELP
    )

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class NeedQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)


class Need(Vocabulary):
    """Something a resident needs help with. Needs form a tree: 'Find work' > 'Digital skills'."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    question = models.CharField(
        max_length=150,
        blank=True,
        help_text="How a resident might put it, e.g. 'I want to get better with computers'.",
        validators=[single_line],
    )

    objects = NeedQuerySet.as_manager()

    class Meta(Vocabulary.Meta):
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="need_not_own_parent"),
        ]

    def get_absolute_url(self):
        return slug_address("initiatives:need_detail", self.slug)

    def clean(self):
        """Refuse a parent that would put this need inside itself."""
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "A need cannot sit inside itself or its own sub-needs."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    @staticmethod
    def with_descendants(needs) -> set[int]:
        """Return the ids of the given needs and every need below them in the tree."""
        children_of: dict[int | None, list[int]] = {}
        for need_id, parent_id in Need.objects.values_list("id", "parent_id"):
            children_of.setdefault(parent_id, []).append(need_id)
        found: set[int] = set()
        stack = [need.pk for need in needs]
        while stack:
            need_id = stack.pop()
            if need_id not in found:
                found.add(need_id)
                stack.extend(children_of.get(need_id, []))
        return found


class Audience(Vocabulary):
    """Who a service is for: women, care workers, young people..."""


class ImportedFromFeed(models.Model):
    """Where a record imported from another directory's Open Referral feed came from."""

    external_source = models.CharField(
        max_length=200,
        blank=True,
        help_text="The feed this record was imported from, if any.",
        validators=[single_line],
    )
    external_id = models.CharField(
        max_length=100, blank=True, help_text="Its id in that feed.", validators=[single_line]
    )

    class Meta:
        abstract = True


class OrganisationQuerySet(PublishableQuerySet):
    def editable_by(self, user):
        """Organisations this person may edit: every one for staff, their own for charity editors."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(memberships__user=user)

    def for_public_display(self):
        return (
            self.published()
            .select_related("parent")
            .prefetch_related(
                models.Prefetch("partners", queryset=Organisation.objects.published()),
                models.Prefetch("branches", queryset=Organisation.objects.published()),
            )
        )


class Organisation(Publishable, ImportedFromFeed):
    """A charity, council, university or group that runs services."""

    name = models.CharField(max_length=200, validators=[single_line])
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField()
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=[single_line])
    charity_number = models.CharField(max_length=20, blank=True, validators=[single_line])
    company_number = models.CharField(max_length=20, blank=True, validators=[single_line])
    logo = ProcessedImageField(size="logo", upload_to=RandomName("logos"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branches",
        help_text="The larger organisation this one is part of, if any.",
    )
    partners = models.ManyToManyField(
        "self", blank=True, symmetrical=True, help_text="Organisations this one works in partnership with."
    )
    is_trusted = models.BooleanField(
        "trusted",
        default=False,
        help_text="Edits by this organisation's editors publish on submit (they are still recorded).",
    )
    review_period_months = models.PositiveSmallIntegerField(
        "months between checks",
        null=True,
        blank=True,
        help_text="How long a check of this organisation's listings holds. Leave empty for the "
        "site's usual period (six months unless MK_REVIEW_PERIOD_MONTHS says otherwise).",
    )
    uuid = models.UUIDField(
        "open data id", default=uuid.uuid4, unique=True, editable=False, help_text=OPEN_DATA_ID_HELP
    )
    objects = OrganisationQuerySet.as_manager()
    # Every saved version, with who and when; staff compare and restore them in the admin.
    history = HistoricalRecords(bases=[ListingVersion])

    class Meta:
        ordering = ["name"]
        constraints = [
            Publishable.state_constraint("organisation_state_valid"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="organisation_not_own_parent"),
            models.CheckConstraint(
                condition=Q(review_period_months__isnull=True)
                | Q(review_period_months__gte=1, review_period_months__lte=36),
                name="organisation_review_period_range",
                violation_error_message="Choose between 1 and 36 months between checks.",
            ),
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~Q(external_id=""),
                name="organisation_unique_external_id",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_address("initiatives:organisation_detail", self.slug)

    def months_between_checks(self) -> int:
        return self.review_period_months or super().months_between_checks()


class MembershipRole(models.TextChoices):
    EDITOR = "editor", "Editor"
    MANAGER = "manager", "Manager"


class MembershipQuerySet(models.QuerySet):
    def managers(self):
        return self.filter(role=MembershipRole.MANAGER)

    def reachable_by_email(self):
        """Memberships of active people with an email address: whom we tell about an organisation."""
        return self.filter(user__is_active=True).exclude(user__email="").order_by("user__email")


class OrganisationMembership(models.Model):
    """A charity editor's right to propose changes to one organisation's listings.

    Managers may also invite and remove colleagues. One person may belong to several organisations.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MembershipRole.choices, default=MembershipRole.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_organisation"
            ),
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Location(models.Model):
    """A place where a service is delivered."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(max_length=200, validators=[single_line])
    address = models.TextField(blank=True, help_text="Street address, one part per line.")
    town = models.CharField(max_length=100, default="Milton Keynes", validators=[single_line])
    postcode = models.CharField(max_length=10, blank=True, validators=[single_line])
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accessibility = models.TextField(blank=True, help_text="Step-free access, toilets, hearing loop...")
    uuid = models.UUIDField(
        "open data id", default=uuid.uuid4, unique=True, editable=False, help_text=OPEN_DATA_ID_HELP
    )
    # Set by the Open Referral UK import, so importing again updates the place rather than adding one;
    # never typed by a person, so not in forms.
    external_id = models.CharField(
        max_length=100, blank=True, editable=False, help_text="Its id in the feed its organisation came from."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="location_unique_external_id",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="location_coordinates_paired",
            ),
        ]
        # Distance searches first narrow places to a latitude/longitude box through this index.
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_coordinates")]

    def __str__(self):
        return self.name

    @property
    def directions_url(self) -> str:
        return contact.directions_url(self)

    @property
    def address_line(self) -> str:
        """The street address on one line, its parts separated by commas (for lists and print)."""
        return ", ".join(part.strip() for part in self.address.splitlines() if part.strip())


class ServiceKind(models.TextChoices):
    SERVICE = "service", "Ongoing service"
    PROGRAMME = "programme", "Programme"
    PROJECT = "project", "Project"
    EVENT = "event", "Event"


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Running"
    PLANNED = "planned", "Starting soon"
    TEMPORARILY_CLOSED = "temporarily_closed", "Temporarily closed"
    ENDED = "ended", "Ended"


class ServiceArea(models.TextChoices):
    PLACES = "places", "At the places listed"
    BOROUGH = "borough", "Anywhere in Milton Keynes"
    NATIONAL = "national", "Anywhere in the UK"


class Reach(models.IntegerChoices):
    """How a service stands to a resident's postcode, in the order distance results list them."""

    NEARBY = 0, "Has a place near you"
    ANYWHERE = 1, "Can be used from anywhere in Milton Keynes"  # online, phone, borough-wide or national
    UNKNOWN = 2, "Address not yet provided"


class DeliveryMode(models.TextChoices):
    """How a resident can get help; each value is a boolean field on Service."""

    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    ONLINE = "online", "Online"

    @property
    def field_name(self) -> str:
        return {"in_person": "in_person", "phone": "by_phone", "online": "online"}[self.value]


class AccessRoute(models.TextChoices):
    """How a resident starts using a service; each value is a boolean field on Service."""

    SELF_REFERRAL = "self_referral", "Contact them yourself"
    REFERRAL = "referral", "Needs a referral"
    DROP_IN = "drop_in", "Drop in"
    BOOKING = "booking", "Book a place"

    @property
    def field_name(self) -> str:
        return f"access_{self.value}"


class ServiceQuerySet(PublishableQuerySet):
    def published(self):
        """Published services of published organisations."""
        return self.filter(
            publication_state=PublicationState.PUBLISHED,
            organisation__publication_state=PublicationState.PUBLISHED,
        )

    def current(self, today=None):
        """Services that have not ended, by status or by end date."""
        today = today or timezone.localdate()
        return self.exclude(status=ServiceStatus.ENDED).exclude(ends_on__lt=today)

    def past(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(status=ServiceStatus.ENDED) | Q(ends_on__lt=today))

    def with_needs(self, need_ids):
        """Services tagged with any of the needs: EXISTS rather than JOIN, so no duplicates."""
        tagged = Service.needs.through.objects.filter(service=OuterRef("pk"), need__in=need_ids)
        return self.filter(Exists(tagged))

    def with_audiences(self, audience_ids):
        tagged = Service.audiences.through.objects.filter(service=OuterRef("pk"), audience__in=audience_ids)
        return self.filter(Exists(tagged))

    def with_any_mode(self, modes):
        return self.filter(_any_true(DeliveryMode(mode).field_name for mode in modes))

    def with_any_access(self, routes):
        return self.filter(_any_true(AccessRoute(route).field_name for route in routes))

    def for_age(self, age: int):
        """Services whose age limits admit this age; services without limits admit everyone."""
        return self.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=age),
        )

    def within(self, centre: "geo.Point", miles: float):
        """Services with a place within `miles` of `centre`, and those anyone in Milton Keynes can use."""
        return self.filter(Q(pk__in=_places_near(centre, miles).values("services")) | _reaches_anywhere())

    def with_distance(self, centre: "geo.Point", miles: float | None = None):
        """Annotate `nearest_distance` (squared degrees, see geo.py) to the nearest place within `miles`
        of `centre` (any distance if None), and `reaches_anywhere`; Service.reach reads them.

        Ordered by distance (nulls last), then reaches_anywhere (true first), the results come in
        the order of Reach. Nothing else refers to the subquery, so the database works it out once a row.
        """
        nearest = _places_near(centre, miles).filter(services=OuterRef("pk")).order_by("distance")
        return self.annotate(
            nearest_distance=Subquery(nearest.values("distance")[:1]),
            reaches_anywhere=ExpressionWrapper(_reaches_anywhere(), output_field=models.BooleanField()),
        )

    def open_at(self, moment):
        """Services open at this moment: weekly hours in Milton Keynes time, or a session under way.

        The same rule as opening_times.opening_status, which says it on the page.
        """
        here = timezone.localtime(moment)
        minute = minute_of_week(moment)
        # IN (uncorrelated subquery) rather than EXISTS: the database lists the services once, not per row.
        # Hours never span more than a day, so only rows opening in the last day need reading.
        weekly = Schedule.objects.filter(
            opens_minute__gt=minute - MINUTES_PER_DAY, opens_minute__lte=minute, closes_minute__gt=minute
        ).values("service_id")
        session = DatedSession.objects.filter(starts_at__lte=moment, ends_at__gt=moment).values("service_id")
        return self.filter(
            (_weekly_hours_apply(here.date()) & Q(pk__in=weekly)) | (_sessions_apply() & Q(pk__in=session))
        )

    def open_on_days(self, weekdays: list[int], now):
        """Services with weekly hours on any of these days (0 is Monday), or a session on one of them
        in the coming week (today included, if the session is not over)."""
        weekly = Schedule.objects.filter(weekday__in=weekdays).values("service_id")
        on_those_days = Q()
        for start, end in coming_days(weekdays, now):
            on_those_days |= Q(starts_at__lt=end, ends_at__gt=max(start, now))
        sessions = DatedSession.objects.filter(on_those_days).values("service_id")
        return self.filter(Q(pk__in=weekly) | Q(pk__in=sessions))

    def with_opening_times(self):
        """Fetch the weekly hours and the sessions not yet over, once for all the services shown: only
        the columns opening_status reads (opening_times.py), as a list shows no more of them."""
        return self.prefetch_related(
            models.Prefetch(
                "schedules", queryset=Schedule.objects.only("service_id", "weekday", "opens_at", "closes_at")
            ),
            models.Prefetch(
                "sessions",
                queryset=DatedSession.objects.filter(ends_at__gt=timezone.now()).only(
                    "service_id", "starts_at", "ends_at"
                ),
                to_attr="upcoming_sessions",
            ),
        )

    def editable_by(self, user):
        """Services this person may edit: through their organisations only (staff: all)."""
        return self.filter(organisation__in=Organisation.objects.editable_by(user))

    def addressing(self, indicator):
        """Services staff linked to an indicator, with the link's note as `link_note`."""
        return self.filter(indicatorservice__indicator=indicator).annotate(
            link_note=F("indicatorservice__note")
        )

    def among(self, ids: list[int]):
        """The services with these ids, however many: sent as one parameter (an array on PostgreSQL,
        a JSON list on SQLite), not one per id, of which databases take a limited number."""
        if connection.vendor == "postgresql":
            listed = RawSQL("SELECT unnest(%s::bigint[])", (ids,))
        else:
            listed = RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))
        return self.filter(pk__in=listed)

    def for_listing(self):
        """Only the columns a result card reads (initiatives/cards.py, contact.ways_to_act,
        Service.opening_status and reach_label): a page of cards reads and builds a third of each row."""
        return self.select_related("organisation").only(*_CARD_COLUMNS)

    def for_public_display(self):
        """A published service with everything its page shows, in a fixed number of queries."""
        return (
            self.published()
            .select_related("organisation")
            .prefetch_related(
                "needs",
                "audiences",
                "locations",
                "cost_options",
                "contacts",
                models.Prefetch("schedules", queryset=Schedule.objects.select_related("location")),
                models.Prefetch(
                    "sessions",
                    queryset=DatedSession.objects.filter(ends_at__gte=timezone.now()).select_related(
                        "location"
                    ),
                    to_attr="upcoming_sessions",
                ),
            )
        )


# Service.for_listing: a card's columns. One more read on a card without a column here is a query per card
# (tests/initiatives/test_list_queries.py counts them).
_CARD_COLUMNS = (
    "name",
    "slug",
    "summary",
    "kind",
    "status",
    "starts_on",
    "ends_on",
    "is_free",
    "cost_description",
    *(mode.field_name for mode in DeliveryMode),
    *(route.field_name for route in AccessRoute),
    "service_area",
    *("website", "email", "phone"),
    *("organisation__name", "organisation__website", "organisation__email", "organisation__phone"),
)


def _places_near(centre: "geo.Point", miles: float | None):
    """Places with coordinates and their `distance` from `centre`; only those within `miles` if given."""
    places = Location.objects.filter(latitude__isnull=False)
    if miles is not None:
        box = geo.bounding_box(centre, miles)
        places = places.filter(latitude__range=(box.south, box.north), longitude__range=(box.west, box.east))
    places = places.annotate(distance=geo.squared_degrees(centre))
    if miles is not None:
        places = places.filter(distance__lte=geo.squared_degrees_within(miles))
    return places


def _reaches_anywhere() -> Q:
    """Usable from anywhere in Milton Keynes: online, by phone, or covering the borough or more."""
    return Q(online=True) | Q(by_phone=True) | Q(service_area__in=[ServiceArea.BOROUGH, ServiceArea.NATIONAL])


def _weekly_hours_apply(today) -> Q:
    """Weekly hours count while a service is running and has started."""
    return Q(status=ServiceStatus.ACTIVE) & (Q(starts_on__isnull=True) | Q(starts_on__lte=today))


def _sessions_apply() -> Q:
    return ~Q(status__in=[ServiceStatus.TEMPORARILY_CLOSED, ServiceStatus.ENDED])


def _any_true(field_names) -> Q:
    condition = Q()
    for field_name in field_names:
        condition |= Q(**{field_name: True})
    return condition


PHOTO_ALT_REQUIRED = "Describe the photo for people who cannot see it."


class Service(Publishable, ImportedFromFeed):
    """A service, programme, project or dated event that an organisation runs."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200, validators=[single_line])
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(
        max_length=300, help_text="One sentence shown in search results.", validators=[single_line]
    )
    description = models.TextField()
    kind = models.CharField(max_length=10, choices=ServiceKind.choices, default=ServiceKind.SERVICE)
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    needs = models.ManyToManyField(Need, related_name="services", blank=True)
    audiences = models.ManyToManyField(Audience, related_name="services", blank=True)
    eligibility = models.TextField(blank=True, help_text="Who can use it, in plain words.")
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    in_person = models.BooleanField("in person", default=False)
    by_phone = models.BooleanField("by phone", default=False)
    online = models.BooleanField("online", default=False)
    is_free = models.BooleanField("free", default=False)
    cost_description = models.CharField(max_length=300, blank=True, validators=[single_line])
    access_self_referral = models.BooleanField("contact them yourself", default=False)
    access_referral = models.BooleanField("needs a referral", default=False)
    access_drop_in = models.BooleanField("drop in", default=False)
    access_booking = models.BooleanField("book a place", default=False)
    how_to_access = models.TextField(blank=True, help_text="The steps a resident takes to get help.")
    languages = models.CharField(
        max_length=200,
        blank=True,
        help_text="Languages offered, separated by commas.",
        validators=[single_line],
    )
    accessibility = models.TextField(blank=True)
    locations = models.ManyToManyField(Location, related_name="services", blank=True)
    service_area = models.CharField(max_length=10, choices=ServiceArea.choices, default=ServiceArea.PLACES)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    dates_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="When dates are known only roughly, e.g. 'October 2025'.",
        validators=[single_line],
    )
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=[single_line])
    photo = ProcessedImageField(size="photo", upload_to=RandomName("service-photos"), blank=True)
    photo_alt = models.CharField(
        "photo description",
        max_length=250,
        blank=True,
        help_text="What the photo shows, for people who cannot see it, e.g. 'A volunteer helping a "
        "man write his CV at a laptop'. Needed whenever there is a photo.",
        validators=[single_line],
    )
    uuid = models.UUIDField(
        "open data id", default=uuid.uuid4, unique=True, editable=False, help_text=OPEN_DATA_ID_HELP
    )
    objects = ServiceQuerySet.as_manager()
    history = HistoricalRecords(bases=[ListingVersion])

    class Meta:
        ordering = ["name"]
        constraints = [
            Publishable.state_constraint("service_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=ServiceKind.values), name="service_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ServiceStatus.values), name="service_status_valid"),
            models.CheckConstraint(
                condition=Q(service_area__in=ServiceArea.values), name="service_area_valid"
            ),
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(starts_on__lte=models.F("ends_on")),
                name="service_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""),
                name="service_photo_described",
                violation_error_message=PHOTO_ALT_REQUIRED,
            ),
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~Q(external_id=""),
                name="service_unique_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["publication_state", "status", "name"]),
            # The results' order (ServiceFilter.filter_sort): read in order, so a page of 20 needs no sort.
            models.Index(Lower("name"), F("id"), name="service_name_order"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_address("initiatives:service_detail", self.slug)

    def clean(self):
        if self.photo and not self.photo_alt.strip():
            raise ValidationError({"photo_alt": PHOTO_ALT_REQUIRED})

    def months_between_checks(self) -> int:
        return self.organisation.months_between_checks()

    @cached_property
    def ways_to_act(self) -> list[contact.WayToAct]:
        return contact.ways_to_act(self)

    @property
    def main_way_to_act(self) -> contact.WayToAct | None:
        return self.ways_to_act[0] if self.ways_to_act else None

    @property
    def details_not_listed(self) -> str:
        return contact.details_not_listed(self)

    @property
    def delivery_modes(self) -> list[str]:
        """Labels of the ways to get help, e.g. ['In person', 'Online']."""
        return [mode.label for mode in DeliveryMode if getattr(self, mode.field_name)]

    @property
    def access_routes(self) -> list[str]:
        """Labels of the ways to start, e.g. ['Drop in']."""
        return [route.label for route in AccessRoute if getattr(self, route.field_name)]

    @property
    def has_ended(self) -> bool:
        return self.status == ServiceStatus.ENDED or bool(
            self.ends_on and self.ends_on < timezone.localdate()
        )

    def forget_sessions_over(self, now) -> None:
        """Drop the fetched upcoming sessions that have ended since: a page's rows may come from the
        cache (caching.py), read up to DIRECTORY_CACHE_SECONDS ago."""
        self.upcoming_sessions = [session for session in self.upcoming_sessions if session.ends_at > now]

    @cached_property
    def opening_status(self):
        """'Open now', or closed and when it next opens (see ServiceQuerySet.open_at for the rule).

        None when nothing says when it is open, when it has ended or is closed for now, and
        when the hours were not fetched with it (with_opening_times or for_public_display), so a
        list can never run a query per service.
        """
        sessions = getattr(self, "upcoming_sessions", None)
        if sessions is None or self.has_ended or self.status == ServiceStatus.TEMPORARILY_CLOSED:
            return None
        started = self.status == ServiceStatus.ACTIVE and not (
            self.starts_on and self.starts_on > timezone.localdate()
        )
        return opening_status(self.schedules.all() if started else [], sessions, timezone.now())

    @property
    def reach(self) -> Reach | None:
        """Where this result stands to the postcode searched from; None unless annotated by with_distance."""
        if not hasattr(self, "nearest_distance"):
            return None
        if self.nearest_distance is not None:
            return Reach.NEARBY
        return Reach.ANYWHERE if self.reaches_anywhere else Reach.UNKNOWN

    @property
    def reach_label(self) -> str:
        """How far away it is, or why distance does not matter; '' unless annotated by with_distance."""
        reach = self.reach
        if reach == Reach.NEARBY:
            return geo.describe_miles(geo.miles_from_squared_degrees(self.nearest_distance))
        if reach == Reach.ANYWHERE:
            ways = [label for flag, label in ((self.online, "Online"), (self.by_phone, "By phone")) if flag]
            if self.service_area == ServiceArea.BOROUGH:
                ways.append("Covers all of Milton Keynes")
            elif self.service_area == ServiceArea.NATIONAL:
                ways.append("Covers all of the UK")
            return " · ".join(ways)
        return Reach(reach).label if reach is not None else ""


class CostOption(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    description = models.CharField(
        max_length=200, help_text="What the charge is for.", validators=[single_line]
    )
    amount = models.DecimalField(
        "amount (£)", max_digits=8, decimal_places=2, null=True, blank=True, help_text="For example 25.00."
    )
    concessions = models.CharField(
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text="Lower prices and who gets them, for example “£5 for students”.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="cost_amount_not_negative"
            )
        ]

    def __str__(self):
        return self.description


class Contact(models.Model):
    """A named person or team residents can contact about a service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, validators=[single_line])
    role = models.CharField(max_length=200, blank=True, validators=[single_line])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=[single_line])

    def __str__(self):
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class MinuteOfDay(models.Func):
    """A time of day as whole minutes since midnight, the seconds dropped (as hour * 60 + minute).

    Written out for each database with built-in functions only, so that it can define a generated
    column (Django's ExtractHour is a function of its own on SQLite, unknown outside Django).
    """

    arity = 1
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite keeps a time as text, 'HH:MM:SS' or 'HH:MM:SS.ffffff'.
        template = (
            "(CAST(substr(%(expressions)s, 1, 2) AS integer) * 60"
            " + CAST(substr(%(expressions)s, 4, 2) AS integer))"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = (
            "CAST(EXTRACT(HOUR FROM %(expressions)s) * 60 + EXTRACT(MINUTE FROM %(expressions)s) AS integer)"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _minute_of_week(weekday_field: str, minute_of_day) -> models.GeneratedField:
    """A column the database works out from the weekday and a time, whoever writes the row
    (save, bulk_create, an import or raw SQL): the same sum as opening_times.weekly_minutes."""
    return models.GeneratedField(
        expression=F(weekday_field) * MINUTES_PER_DAY + minute_of_day,
        output_field=models.IntegerField(),
        db_persist=True,
    )


class Schedule(models.Model):
    """Regular weekly opening hours, optionally at one place."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField()
    closes_at = models.TimeField(help_text="00:00 means midnight at the end of the day.")
    note = models.CharField(max_length=200, blank=True, validators=[single_line])
    # Minutes of the week (0 is Monday 00:00, Milton Keynes time), so "open at minute M" is a range
    # test on one index (ServiceQuerySet.open_at); closing at 00:00 is the end of the day.
    opens_minute = _minute_of_week("weekday", MinuteOfDay("opens_at"))
    closes_minute = _minute_of_week(
        "weekday",
        models.Case(
            models.When(closes_at=MIDNIGHT, then=models.Value(MINUTES_PER_DAY)),
            default=MinuteOfDay("closes_at"),
        ),
    )

    class Meta:
        ordering = ["weekday", "opens_at"]
        indexes = [
            # With service last, the open services are read from the index alone.
            models.Index(fields=["opens_minute", "closes_minute", "service"], name="schedule_open_minutes"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="schedule_weekday_valid"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")) | Q(closes_at=MIDNIGHT),
                name="schedule_closes_after_opening",
            ),
        ]

    def __str__(self):
        closes = "midnight" if self.closes_at == MIDNIGHT else f"{self.closes_at:%H:%M}"
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{closes}"


class DatedSession(models.Model):
    """A one-off session or event day with a start and an end."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="sessions")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=200, blank=True, validators=[single_line])
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title or f"Session on {self.starts_at:%d %B %Y}"


class AuditEntry(models.Model):
    """Who did what to which public record, and when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=50)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=200)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.action} {self.object_repr}"


class ReminderKind(models.TextChoices):
    DUE = "due", "Due for a check"
    OVERDUE = "overdue", "Overdue for a check"


class ReviewReminder(models.Model):
    """A reminder sent to an organisation's editors about one listing, kept so none is sent twice.

    A new check moves the listing's review date, and so starts a fresh cycle of reminders.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    listing = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    review_due_on = models.DateField(help_text="The review date the reminder was about.")
    sent_at = models.DateTimeField(default=timezone.now)
    sent_to = models.TextField(help_text="The editors' email addresses, one per line.")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "review_due_on"], name="review_reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="review_reminder_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.content_type.name} {self.object_id}"
