"""WSGI entry point (gunicorn --pythonpath site smartsite.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartsite.settings.production")

application = get_wsgi_application()
