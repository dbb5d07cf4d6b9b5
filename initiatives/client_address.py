"""The visitor's own network address, the one every rate limit and the login lockout count by.

Without a proxy (MK_PROXY_COUNT=0) it is the address the connection came from. Behind proxies,
each proxy appends the address it was reached from to X-Forwarded-For, so the entry that many
places from the right was written by our outermost proxy: the visitor's address. Anything to its
left came from the visitor and may be made up, so it is ignored.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The address to count this request against; REMOTE_ADDR when the header cannot be trusted."""
    connected_from = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PROXY_COUNT
    if not proxies:
        return connected_from
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        # Fewer entries than proxies: the request skipped one of ours, so no entry is ours to trust.
        return connected_from
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: a proxy set up wrongly, or a forged header let through
        return connected_from
