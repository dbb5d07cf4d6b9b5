"""schema.org descriptions of organisations and services, for search engines (JSON-LD)."""

from django.conf import settings

from initiatives.models import Organisation, Service


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in ("", None, [], {})}


def organisation_data(organisation: Organisation, *, nested: bool = False) -> dict:
    url = _absolute(organisation.get_absolute_url())
    data = {
        "@type": "Organization",
        "@id": url + "#organisation",
        "name": organisation.name,
        "url": url,
        "sameAs": organisation.website,
    }
    if not nested:
        data.update(
            {
                "@context": "https://schema.org",
                "description": organisation.description,
                "email": organisation.email,
                "telephone": organisation.phone,
                "identifier": str(organisation.uuid),
            }
        )
    return _without_empty(data)


def service_data(service: Service) -> dict:
    """A service as a schema.org Service, with its provider, places and audience."""
    places = [
        _without_empty(
            {
                "@type": "Place",
                "name": location.name,
                "address": _without_empty(
                    {
                        "@type": "PostalAddress",
                        "streetAddress": ", ".join(location.address.split("\n")).strip(", "),
                        "addressLocality": location.town,
                        "postalCode": location.postcode,
                        "addressCountry": "GB",
                    }
                ),
            }
        )
        for location in service.locations.all()
    ]
    url = _absolute(service.get_absolute_url())
    return _without_empty(
        {
            "@context": "https://schema.org",
            "@type": "Service",
            "@id": url + "#service",
            "name": service.name,
            "description": service.summary,
            "url": url,
            "sameAs": service.website,
            "identifier": str(service.uuid),
            "provider": organisation_data(service.organisation, nested=True),
            "serviceType": [need.name for need in service.needs.all()],
            "audience": [{"@type": "Audience", "audienceType": a.name} for a in service.audiences.all()],
            "areaServed": "Milton Keynes",
            "availableChannel": places and [{"@type": "ServiceChannel", "serviceLocation": places}],
            "isAccessibleForFree": True if service.is_free else None,
        }
    )
