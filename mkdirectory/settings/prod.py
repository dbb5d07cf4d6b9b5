"""Production: refuses to start without a secret key; HTTPS everywhere."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import REDIS_URL, env_bool, env_list

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a random string of at least 50 characters.")

DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the site's host names, separated by commas.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
if not REDIS_URL and not env_bool("MK_ALLOW_LOCAL_CACHE"):
    raise ImproperlyConfigured(
        "Set REDIS_URL (for example redis://127.0.0.1:6379/0) so every worker and server shares one "
        "cache: with a per-process cache each one counts rate limits on its own (5 enquiries an hour "
        "become 5 per worker) and shows changes late. To run a single process with its own cache on "
        "purpose, set MK_ALLOW_LOCAL_CACHE=true."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Load balancers probe /healthz over plain HTTP inside the network: answer rather than redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Sent by SMTP to the server DJANGO_EMAIL_URL or DJANGO_EMAIL_HOST names (settings/base.py); with
# neither, to a relay on this machine at localhost:25. Try it: `manage.py sendtestemail you@example.org`.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
