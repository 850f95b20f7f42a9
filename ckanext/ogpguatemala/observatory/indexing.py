"""What the observatory adds to each dataset's search document.

The figures must stay fast at tens of thousands of datasets, so nothing is
computed by loading datasets: each dataset carries, in multi-valued string
fields of CKAN's own Solr schema, the combinations the figures count, and
one facet query over public datasets adds them up (``figures``):

- ``vocab_ogp_obs_pub``: ``<milestone>|<organization>|<publication date>``
- ``vocab_ogp_obs_org_month``: ``<organization>|<YYYY-MM>`` (publications over time)
- ``vocab_ogp_obs_org_score`` / ``vocab_ogp_obs_commitment_score``:
  ``<organization or commitment>|<openness score>``
- ``vocab_ogp_obs_series``: ``<organization>|<type>|<programme>|<frequency>|<period>``
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from zoneinfo import ZoneInfo

from . import openness, timeliness

log = logging.getLogger(__name__)
TIMEZONE = ZoneInfo("America/Guatemala")
FIELDS = ("vocab_ogp_obs_pub", "vocab_ogp_obs_org_month", "vocab_ogp_obs_org_score",
          "vocab_ogp_obs_commitment_score", "vocab_ogp_obs_series")


def publication_date(pkg: dict) -> dt.date | None:
    """When the dataset was published: its creation, in Guatemala's time."""
    raw = pkg.get("metadata_created")
    if not raw:
        return None
    try:
        when = dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(TIMEZONE).date()


def metadata_fields(dataset_type: str) -> list[str]:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type) or {}
    return [f["field_name"] for f in schema.get("dataset_fields", [])]


def values(pkg: dict) -> dict[str, list[str]]:
    """The observatory's facet values of one dataset (package_show form)."""
    org = (pkg.get("organization") or {}).get("name") or ""
    milestones = pkg.get("ogp_milestones") or []
    commitments = pkg.get("ogp_commitments") or []
    published = publication_date(pkg)
    score = openness.score(pkg, metadata_fields(pkg.get("type") or "dataset"))["score"]
    out = {
        "vocab_ogp_obs_pub": ["%s|%s|%s" % (m, org, published) for m in milestones if published],
        "vocab_ogp_obs_org_month": ["%s|%s" % (org, published.isoformat()[:7])] if published else [],
        "vocab_ogp_obs_org_score": ["%s|%d" % (org, score)],
        "vocab_ogp_obs_commitment_score": ["%s|%d" % (c, score) for c in commitments],
        "vocab_ogp_obs_series": [],
    }
    period = timeliness.period_of(pkg)
    if period:
        out["vocab_ogp_obs_series"] = ["%s|%s" % (timeliness.series_key(pkg), period[1])]
    return out


def before_index(pkg_dict: dict) -> dict:
    """Adds the values to a search document (IPackageController.before_dataset_index)."""
    raw = pkg_dict.get("validated_data_dict")
    try:
        pkg = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        pkg = None
    if not isinstance(pkg, dict):
        return pkg_dict
    try:
        for field, items in values(pkg).items():
            if items:
                pkg_dict[field] = items
    except Exception:  # noqa: BLE001 - a figure must never stop a dataset being indexed
        log.exception("observatory values of %s", pkg.get("name"))
    return pkg_dict
