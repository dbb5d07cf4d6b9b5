"""Test runs: fast hashing, in-memory email, plain static storage."""

from .base import *  # noqa: F401,F403
from .base import IMAGES_URL, SECRET_KEY

DEBUG = False
SECRET_KEY = SECRET_KEY or "test-only-insecure-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "images": {"BACKEND": "django.core.files.storage.InMemoryStorage", "OPTIONS": {"base_url": IMAGES_URL}},
}
# Serve static files from the source folders, so tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOW_DEMO_ACCOUNTS = True
