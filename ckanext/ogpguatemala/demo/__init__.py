"""Demo data loaded by `make run` (``ckan ogpguatemala load-demo``): every
dataset type and every commitment of the 6th plan, with the variation a real
portal shows (series with missing periods, a late report, milestones with
nothing published yet).

- ``datasets.yaml``: datasets written by hand (GAE workshops, the MMM's
  sessions and strategy, SEPREM/DEMI budgets, MINTRAB's campaign);
- ``access``: CPCC's yearly access-to-information reports (C1);
- ``sesan``: SINSAN indicators by department and SESAN's training (C2);
- ``infrastructure``: OC4IDS hospital and school projects (C3), imported;
- ``reports``: CONAMIGUA's and MINGOB's four-monthly reports (C4, C5);
- ``mintrab``: MINTRAB's monthly labour-mobility reports (C6);
- ``series``: the dataset series the periodic ones are releases of;
- ``users``: one editor per institution;
- ``periods``, ``records``: dates relative to the load's day; shared fields.

Series run up to the load's date (Guatemala time) and are the same for the
same date. Loading is idempotent: datasets are found by name (OC4IDS
projects by their id) and written only when they differ from what is stored.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from decimal import Decimal, InvalidOperation

import yaml

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.logic.context import active_organization, site_context

from . import access, infrastructure, mintrab, records, reports, series, sesan

STATIC_FILE = os.path.join(os.path.dirname(__file__), "datasets.yaml")


def today() -> dt.date:
    """The load's date: today in Guatemala, as the observatory counts it."""
    from ckanext.ogpguatemala.observatory.figures import guatemala_today

    return guatemala_today()


def static_records(path: str = STATIC_FILE) -> list[dict]:
    """The hand-written datasets of ``path`` as demo records."""
    folder = os.path.dirname(os.path.abspath(path))
    with open(path, encoding="utf-8") as f:
        entries = yaml.safe_load(f)["datasets"]
    out = []
    for entry in entries:
        entry = dict(entry)
        files = []
        for item in entry.pop("files", []):
            item = dict(item)
            if "content" in item:
                data = item.pop("content").encode("utf-8")
            else:
                with open(os.path.join(folder, item["path"]), "rb") as f:
                    data = f.read()
            item.setdefault("filename", os.path.basename(item.pop("path", "")) or entry["name"])
            files.append(dict(item, data=data))
        out.append(records.dataset(entry.pop("notes"), files=files, **entry))
    return out


def build(day: dt.date, static_file: str = STATIC_FILE) -> list[dict]:
    """Every demo item for ``day``, by commitment."""
    return series.attach(access.build(day) + sesan.build(day) + infrastructure.build()
                         + reports.build(day) + mintrab.build(day) + static_records(static_file))


def missing_organizations(items) -> list[str]:
    return sorted({i["owner_org"] for i in items if active_organization(i["owner_org"]) is None})


def load(items) -> dict:
    """Write each item that is new or changed. Returns {"created",
    "updated", "unchanged", "failed": [(name, errors)]}."""
    context = site_context()

    def show(pkg_id):
        return tk.get_action("package_show")(dict(context), {"id": pkg_id})

    result = {"created": 0, "updated": 0, "unchanged": 0, "failed": []}
    with _one_search_commit():
        for item in items:
            try:
                if item.get("kind") == "oc4ids":
                    outcome = infrastructure.write(item, show)
                else:
                    outcome = _write(context, show, item)
            except tk.ValidationError as e:
                result["failed"].append((item["name"], e.error_dict))
                continue
            except infrastructure.ImportRejected as e:
                result["failed"].append((item["name"], e.args[0]))
                continue
            result[outcome] += 1
    return result


@contextlib.contextmanager
def _one_search_commit():
    """Index every write but commit the search index once, at the end (as
    ``ckan search-index rebuild`` does): a Solr commit per write would make
    the load several times slower. Nothing here reads the index back."""
    from ckan.lib import search

    before = tk.config.get("ckan.search.solr_commit")
    tk.config["ckan.search.solr_commit"] = False
    try:
        yield
    finally:
        tk.config["ckan.search.solr_commit"] = before
        search.commit()


def _write(context, show, record: dict) -> str:
    record = dict(record)
    files = record.pop("files", [])
    if record.get("in_series"):  # series by URL name, stored by id
        record["in_series"] = [_id_of(show, name) for name in record["in_series"]]
    try:
        current = show(record["name"])
    except tk.ObjectNotFound:
        current = None
    if current is None:
        pkg, outcome = tk.get_action("package_create")(dict(context), record), "created"
    elif differs(record, current):
        pkg = tk.get_action("package_patch")(dict(context), dict(record, id=current["id"]))
        outcome = "updated"
    else:
        pkg, outcome = current, "unchanged"
    if _attach(context, pkg, files) and outcome == "unchanged":
        outcome = "updated"
    return outcome


def _id_of(show, name: str) -> str:
    try:
        return show(name)["id"]
    except tk.ObjectNotFound:
        return name  # package_create/patch says the series does not exist


def _norm(value):
    """A value as compared with the stored one: lists sorted, numbers as
    numbers (the API gives back ``2024`` for ``"2024"``), text trimmed."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return sorted((_norm(v) for v in value), key=str)
    text = str(value).strip()
    try:
        number = Decimal(text)
        return number.normalize() if number.is_finite() else text
    except InvalidOperation:
        return text


def _stored(current: dict, key: str):
    if key == "owner_org":  # stored as the organization's id
        return (current.get("organization") or {}).get("name") or current.get("owner_org")
    if key == "tags":
        return [t["name"] for t in current.get("tags", [])]
    return current.get(key)


def differs(record: dict, current: dict) -> bool:
    """Whether any field of the record has another value in the stored dataset."""
    return any(_norm([t["name"] for t in value] if key == "tags" else value)
               != _norm(_stored(current, key)) for key, value in record.items())


def _attach(context, pkg, files) -> bool:
    """Upload the files the dataset lacks (by resource name) or whose size
    changed. Returns whether anything was written."""
    from werkzeug.datastructures import FileStorage

    have = {r.get("name"): r for r in pkg.get("resources", [])}
    changed = False
    for item in files:
        upload = FileStorage(io.BytesIO(item["data"]), filename=item["filename"])
        resource = have.get(item["name"])
        if resource is None:
            tk.get_action("resource_create")(dict(context), {
                "package_id": pkg["id"], "name": item["name"], "format": item["format"],
                "url": item["filename"], "upload": upload})
        elif resource.get("size") != len(item["data"]):
            tk.get_action("resource_patch")(dict(context), {
                "id": resource["id"], "url": item["filename"], "upload": upload})
        else:
            continue
        changed = True
    return changed
