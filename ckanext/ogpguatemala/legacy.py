"""Datasets created before the extension was installed.

The milestone link is required on every dataset, so a portal that adds the
extension has datasets without one: they still show and search as before,
but cannot be saved until they are linked. :func:`unlinked` finds them and
:func:`link` links them in bulk (``ckan ogpguatemala link-datasets``),
writing through ``package_patch`` so that every other rule of the dataset's
type applies too: a dataset that misses other required fields is reported
with them, not half-written.
"""
from __future__ import annotations

import csv
from typing import Iterable, NamedTuple

import ckan.model as model
import ckan.plugins.toolkit as tk
from sqlalchemy import or_

from ckanext.ogpguatemala.linking import LINK_FIELD, problem_with
from ckanext.ogpguatemala.logic.context import site_context
from ckanext.ogpguatemala.messages import translate


class Plan(NamedTuple):
    name: str
    milestones: list[str]
    problem: str | None = None  # why it cannot be linked, if it cannot


def unlinked(org: str | None = None) -> list[model.Package]:
    """Active and draft datasets with no milestone, by name."""
    link = model.Package.extras[LINK_FIELD].astext
    query = model.Session.query(model.Package).filter(
        model.Package.state.in_(("active", "draft")),
        model.Package.type != "harvest",
        or_(link.is_(None), link.in_(("", "[]"))),
    )
    if org:
        group = model.Group.get(org)
        query = query.filter(model.Package.owner_org == (group.id if group else org))
    return query.order_by(model.Package.name).all()


def read_csv(path: str) -> list[tuple[str, str]]:
    """(dataset, milestone) rows of a CSV file ``name,milestone`` (a header
    row naming those columns is optional; several milestones of one dataset
    may be separated by spaces or semicolons)."""
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for i, row in enumerate(csv.reader(f)):
            if not row or not any(cell.strip() for cell in row):
                continue
            if i == 0 and row[0].strip().lower() in ("name", "dataset", "nombre", "conjunto"):
                continue
            if len(row) < 2:
                raise ValueError(translate("Line %(line)s: expected name,milestone", line=i + 1))
            rows.append((row[0].strip(), row[1].strip()))
    return rows


def plan(pairs: Iterable[tuple[str, str]]) -> list[Plan]:
    """What linking would do for each (dataset, milestones) pair."""
    from ckanext.ogpguatemala.linking import parse_codes

    out = []
    for name, codes in pairs:
        milestones = parse_codes(codes)
        problem = next((p for p in map(problem_with, milestones) if p), None)
        if not milestones:
            problem = translate("No milestone given")
        if problem is None and model.Package.get(name) is None:
            problem = translate("Dataset '%(name)s' not found", name=name)
        out.append(Plan(name, milestones, problem))
    return out


def link(item: Plan, defaults: dict | None = None) -> dict | None:
    """Link one dataset; returns the field errors that stopped it (None when
    linked). ``defaults`` fill fields the dataset leaves empty."""
    context = site_context()
    pkg = tk.get_action("package_show")(dict(context), {"id": item.name})
    patch = {k: v for k, v in (defaults or {}).items() if pkg.get(k) in (None, "", [])}
    try:
        tk.get_action("package_patch")(dict(context), dict(
            patch, id=pkg["id"], **{LINK_FIELD: item.milestones}))
    except tk.ValidationError as e:
        return e.error_dict
    return None
