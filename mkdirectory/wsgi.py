"""WSGI entry point for gunicorn: `gunicorn mkdirectory.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mkdirectory.settings.prod")
application = get_wsgi_application()
