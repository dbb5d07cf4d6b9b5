"""Open Referral UK ids for what has no row of its own.

Organisations, services, locations, needs and audiences carry a random `uuid` field (their public
id, kept by exports and imports). The two taxonomies, and link records such as a service at a
location or a service's taxonomy term, are derived from those ids with UUID version 5, so they are
stable too without a table to store them.
"""

import uuid

# Fixed namespace for this directory's derived ids (a random UUID chosen once; never change it).
NAMESPACE = uuid.UUID("5d3f7c1e-2a8b-4f0e-9c61-7b2d4e8a9f10")

NEEDS_TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy:needs")
AUDIENCES_TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy:audiences")


def derived_id(*parts) -> uuid.UUID:
    """A stable id for a link between records, from their ids and what kind of link it is."""
    return uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts))


def service_at_location_id(service_uuid: uuid.UUID, location_uuid: uuid.UUID) -> uuid.UUID:
    """The id of a service at one of its places."""
    return derived_id(service_uuid, "at", location_uuid)
