"""The SMTP server for the settings, from the environment: one URL or separate variables."""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def _env_bool(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def email_server() -> dict:
    """The SMTP server: from DJANGO_EMAIL_URL, smtp+tls://user:password@host:587 (a password with
    @, : or / percent-encoded), or else from DJANGO_EMAIL_HOST, _PORT, _HOST_USER, _HOST_PASSWORD,
    _USE_TLS and _USE_SSL. Settings that cannot work stop the site at start-up, saying why."""
    schemes = {  # scheme: (STARTTLS, TLS from the start, default port)
        "smtp": (False, False, 25),
        "smtp+tls": (True, False, 587),
        "smtps": (False, True, 465),
        "smtp+ssl": (False, True, 465),
    }
    separate = [
        f"DJANGO_EMAIL_{name}"
        for name in ("HOST", "PORT", "HOST_USER", "HOST_PASSWORD", "USE_TLS", "USE_SSL")
        if os.environ.get(f"DJANGO_EMAIL_{name}")
    ]
    url = os.environ.get("DJANGO_EMAIL_URL", "")
    if not url:
        use_tls, use_ssl = _env_bool("DJANGO_EMAIL_USE_TLS"), _env_bool("DJANGO_EMAIL_USE_SSL")
        port = os.environ.get("DJANGO_EMAIL_PORT") or (465 if use_ssl else 587 if use_tls else 25)
        if not str(port).isdigit():
            raise ImproperlyConfigured("DJANGO_EMAIL_PORT must be a number, such as 587.")
        host = os.environ.get("DJANGO_EMAIL_HOST") or "localhost"
        user = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
        password = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
    elif separate:
        raise ImproperlyConfigured(f"Set DJANGO_EMAIL_URL or {', '.join(separate)}, not both.")
    else:
        parts = urlsplit(url)
        try:
            use_tls, use_ssl, default_port = schemes[parts.scheme]
            port = parts.port or default_port
        except (KeyError, ValueError):
            raise ImproperlyConfigured(
                "DJANGO_EMAIL_URL must look like smtp+tls://user:password@host:587, with one of the "
                f"schemes {', '.join(schemes)} and a port that is a number."
            ) from None
        if not parts.hostname or parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ImproperlyConfigured("DJANGO_EMAIL_URL must name a host, with nothing after it but a port.")
        host = parts.hostname
        user, password = unquote(parts.username or ""), unquote(parts.password or "")
    if use_tls and use_ssl:
        raise ImproperlyConfigured(
            "Set one of DJANGO_EMAIL_USE_TLS (STARTTLS, usually port 587) and DJANGO_EMAIL_USE_SSL "
            "(TLS from the start, usually port 465), not both."
        )
    return {
        "EMAIL_HOST": host,
        "EMAIL_PORT": int(port),
        "EMAIL_HOST_USER": user,
        "EMAIL_HOST_PASSWORD": password,
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
