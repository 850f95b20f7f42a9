"""WSGI entry point of the production server (gunicorn, see services/web.sh).

The CKAN configuration file is named by the CKAN_INI environment variable,
as CKAN's own ``ckan`` command does.
"""
import os
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

_ini = os.path.abspath(os.environ["CKAN_INI"])
fileConfig(_ini, defaults={"here": os.path.dirname(_ini)}, disable_existing_loggers=False)
application = make_app(CKANConfigLoader(_ini).get_config())
