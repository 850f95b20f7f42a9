"""Checks of resource files, run as CKAN background jobs.

Which files are checked (``checkers``): the resources of a dataset type that
declares a checker, in the formats it reads — MINTRAB monthly reports
(``mintrab-movilidad``, CSV/TSV/XLSX, ``tabular``) and OC4IDS project files
(``oc4ids-proyecto``, JSON, ``oc4ids``).

When (``jobs``): after a dataset or resource is created or updated and
committed (chained ``package_create``/``package_update`` actions), every
checked resource whose file changed (an upload's size and time, a link's
URL) is marked ``pending`` and a job is queued for the ``ckan jobs worker``.
With ``ckanext.ogpguatemala.checks_async = false`` (tests, the CLI) the
check runs at once instead. The result is written through ``resource_patch``
into three resource fields, which clients cannot set themselves
(``fields.ogp_check_field``):

- ``ogp_check_status``: ``pending``, ``valid`` or ``invalid``;
- ``ogp_check_report``: JSON ``{"valid", "checker", "checked_at", "errors":
  [{"row", "column", "path", "code", "message": {"msgid", "params"}}], …}``
  — messages are stored untranslated and shown in the reader's language;
- ``ogp_check_fingerprint``: what the check is about (to skip unchanged files).

An invalid file is kept and flagged, never silently accepted. The
``ogp_resource_check`` action re-runs a check on demand.
"""
from .checkers import CHECKERS, applies
from .fields import FINGERPRINT, REPORT, STATUS, ogp_check_field, report_of
from .jobs import check_resource, schedule

__all__ = ["CHECKERS", "applies", "STATUS", "REPORT", "FINGERPRINT", "ogp_check_field",
           "report_of", "check_resource", "schedule"]
