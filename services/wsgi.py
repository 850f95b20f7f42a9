"""WSGI entry point of the production server (gunicorn, see services/web.sh).

The CKAN configuration file is named by the CKAN_INI environment variable,
as CKAN's own ``ckan`` command does.

CKAN's config loader applies the file's [logger_*] sections with
``logging.config.fileConfig``, whose default disables every logger that
already exists -- gunicorn's own ``gunicorn.error`` and ``gunicorn.access``.
They are switched back on here, so the access log and the worker errors
reach the files web.sh names (the application's log goes to stderr, which
gunicorn's --capture-output sends to the same error log).
"""
import logging
import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

_ini = os.path.abspath(os.environ["CKAN_INI"])
application = make_app(CKANConfigLoader(_ini).get_config())

for _name in ("gunicorn.error", "gunicorn.access"):
    logging.getLogger(_name).disabled = False
