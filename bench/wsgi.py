"""WSGI entry point for the throughput run: `gunicorn bench.wsgi` (the site's settings and the bare view)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()
