import os

from django.core.wsgi import get_wsgi_application

from bureau.runtime import settle_garbage_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
application = get_wsgi_application()
# After loading, as each gunicorn worker imports this module: what is loaded now lives as long as the worker.
settle_garbage_collector()
