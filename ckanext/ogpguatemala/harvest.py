"""Harvesting DCAT-AP feeds into the portal: ckanext-harvest runs
ckanext-dcat's ``dcat_rdf_harvester``; these are its hooks
(``IDCATRDFHarvester``), called for each harvested dataset.

- **Type.** A harvested dataset becomes a dataset of the general type
  (``dataset``), whatever type it had at the source: the general type has
  every shared field (milestone link, geography, frequency, series).
- **The milestone link stays required.** It comes from the feed
  (``dct:relation`` to a milestone of the plan, as this portal publishes it)
  or from the source's configuration; a dataset with neither is rejected by
  the type's validation and the reason is in the harvest job's log
  (ckanext-harvest's object errors), never dropped silently.
- **Source configuration** (JSON, the source's "Configuration" box):
  ``{"defaults": {"ogp_milestones": ["PAN6-C1-H4"], "frequency": "IRREG",
  "contact_email": "datos@institucion.gob.gt", ...}}`` fills fields the feed
  leaves empty.
- **Series.** Each series a release names (``dcat:inSeries``) is matched to
  a local ``dataset_series`` made for that series' URI in the source's
  organization, or created from its title and description, and the release
  is added to it.
- **Unchanged datasets are not rewritten.** A re-harvest compares each
  dataset's harvested content with the previous harvest's; only what
  changed at the source is updated (new activity, new ``metadata_modified``).
"""
from __future__ import annotations

import hashlib
import json
import logging

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.ogpguatemala.dcat.series import IS_SERIES_KEY, SERIES_KEY
from ckanext.ogpguatemala.text import slug

log = logging.getLogger(__name__)

GENERAL_TYPE = "dataset"
SERIES_TYPE = "dataset_series"
# Fields of a release a new local series takes over.
SERIES_FIELDS = ("owner_org", "frequency", "ogp_milestones", "contact_name", "contact_email",
                 "license_id", "language")


def source_config(harvest_object) -> dict:
    try:
        config = json.loads(harvest_object.source.config or "{}")
    except ValueError:
        return {}
    return config if isinstance(config, dict) else {}


def _check_config(data_dict) -> None:
    """A source's ``defaults`` must be an object of field names: a
    ValidationError on ``config`` otherwise (ckanext-dcat only checks that
    the configuration is JSON)."""
    text = data_dict.get("config")
    if not text:
        return
    try:
        config = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return  # ckanext-dcat's own check says it is not JSON
    defaults = config.get("defaults", {}) if isinstance(config, dict) else {}
    if not isinstance(defaults, dict):
        raise tk.ValidationError({"config": [tk._(
            'In the configuration, "defaults" must be an object: {"field": value, ...}')]})


@tk.chained_action
def harvest_source_create(up_func, context, data_dict):
    tk.check_access("harvest_source_create", context, data_dict)
    _check_config(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def harvest_source_update(up_func, context, data_dict):
    if not data_dict.get("id"):
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    tk.check_access("harvest_source_update", context, data_dict)
    _check_config(data_dict)
    return up_func(context, data_dict)


def get_actions() -> dict:
    return {"harvest_source_create": harvest_source_create,
            "harvest_source_update": harvest_source_update}


def _empty(value) -> bool:
    return value in (None, "", [], {}, "[]")


def _fields_from_extras(dataset: dict) -> None:
    """ckanext-dcat's parser leaves what it reads beyond CKAN's core fields
    (contact point, temporal coverage…) as extras; the ones the general type
    has as fields become those fields."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    names = {f["field_name"] for f in scheming_get_dataset_schema(GENERAL_TYPE)["dataset_fields"]}
    kept = []
    for extra in dataset.get("extras") or []:
        key, value = extra.get("key"), extra.get("value")
        if key in names and _empty(dataset.get(key)):
            if key == "contact_email" and isinstance(value, str):
                value = value.removeprefix("mailto:")
            dataset[key] = value
        elif key not in names:
            kept.append(extra)
    dataset["extras"] = kept


def prepare(harvest_object, dataset: dict) -> None:
    """The general type (a series' own type for a series), the source's
    defaults, the local series."""
    is_series = dataset.pop(IS_SERIES_KEY, False)
    dataset["type"] = SERIES_TYPE if is_series else GENERAL_TYPE
    _fields_from_extras(dataset)
    for key, value in source_config(harvest_object).get("defaults", {}).items():
        if _empty(dataset.get(key)):
            dataset[key] = value
    found = dataset.pop(SERIES_KEY, None) or []
    if is_series:
        return
    ids = [_local_series(found_series, dataset) for found_series in found]
    ids = [i for i in ids if i]
    if ids:
        dataset["in_series"] = ids


def _series_name(uri: str, title: str) -> str:
    digest = hashlib.sha1(uri.encode("utf-8")).hexdigest()[:8]
    return "%s-%s" % ((slug(title or "serie")[:80]).strip("-") or "serie", digest)


def harvested(guid: str) -> str | None:
    """The id of the active dataset harvested with ``guid`` (the ``guid``
    extra ckanext-dcat's harvester writes and looks datasets up by)."""
    from ckanext.dcat.harvesters.rdf import DCATRDFHarvester

    found = DCATRDFHarvester()._read_datasets_from_db(guid)
    for (pkg_id,) in found:
        pkg = model.Package.get(pkg_id)
        if pkg is not None and pkg.state == "active":
            return pkg.id
    return None


def _local_series(found: dict, release: dict) -> str | None:
    """The id of the local series for a harvested series URI: the series
    harvested from it (when the feed lists it before its releases), else one
    created in the release's organization, carrying the same ``guid`` so
    that harvesting the series later updates it."""
    existing = harvested(found["uri"])
    if existing:
        return existing
    if not found.get("title") or not release.get("owner_org"):
        return None
    name = _series_name(found["uri"], found.get("title") or "")
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    fields = {k: release[k] for k in SERIES_FIELDS if not _empty(release.get(k))}
    try:
        series = tk.get_action("package_create")(
            {"user": site_user["name"], "ignore_auth": True},
            dict(fields, type=SERIES_TYPE, name=name, title=found["title"],
                 notes=found.get("description") or found["title"],
                 extras=[{"key": "guid", "value": found["uri"]}]))
    except tk.ValidationError as e:
        log.warning("Harvested series %s not created: %s", found["uri"], e.error_summary)
        return None
    return series["id"]


def unchanged(harvest_object) -> bool:
    """Whether the previous import of this dataset had the same content."""
    from ckanext.harvest.model import HarvestObject

    previous = (model.Session.query(HarvestObject)
                .filter(HarvestObject.guid == harvest_object.guid)
                .filter(HarvestObject.id != harvest_object.id)
                .filter(HarvestObject.import_finished.isnot(None))
                .filter(HarvestObject.state == "COMPLETE")
                .order_by(HarvestObject.import_finished.desc())
                .first())
    return previous is not None and _canonical(previous.content) == _canonical(harvest_object.content)


def _canonical(content: str | None):
    """The harvested dict with every list sorted (the parser lists extras,
    resources and keywords in the RDF graph's order, which changes from one
    read to the next) and without the URL name the harvester makes up (a
    new one when the old is taken, by the dataset itself; an update keeps
    the stored name anyway)."""
    def norm(value):
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, list):
            return sorted((norm(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
        return value
    try:
        data = json.loads(content or "null")
    except ValueError:
        return content
    if isinstance(data, dict):
        data.pop("name", None)
    return norm(data)


def before_create(harvest_object, dataset, temp_dict) -> None:
    prepare(harvest_object, dataset)


def before_update(harvest_object, dataset, temp_dict) -> None:
    if unchanged(harvest_object):
        # ckanext-dcat then leaves the stored dataset alone; the object keeps
        # pointing at it (for deletions when the source drops it)
        harvest_object.package_id = dataset["id"]
        harvest_object.add()
        dataset.clear()
        return
    prepare(harvest_object, dataset)


SOURCE_FIELDS = ("source_type", "frequency", "config")


def restore_source_fields(pkg: dict) -> None:
    """A harvest source read from the search index's cache (CKAN 2.12's
    ``package_show``) lacks the fields ckanext-harvest 1.6.3 keeps as extras
    (its show schema is not applied on that path), and the harvester then
    fails with KeyError 'source_type'; they are put back from the extras."""
    if pkg.get("type") != "harvest":
        return
    for extra in pkg.get("extras") or []:
        if extra.get("key") in SOURCE_FIELDS and extra["key"] not in pkg:
            pkg[extra["key"]] = extra.get("value")
