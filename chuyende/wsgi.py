"""WSGI entry point (gunicorn chuyende.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuyende.settings")
application = get_wsgi_application()
