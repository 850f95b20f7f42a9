"""Dataset series: the releases of a periodic publication (MINTRAB's
monthly reports, CONAMIGUA's and MINGOB's four-monthly ones, SESAN's yearly
indicators) grouped under one ``dataset_series`` dataset.

The series themselves, their order and the navigation between releases
(``series_navigation`` in ``package_show``: first/last on a series,
previous/next on a release) are ckanext-dataset-series'; ckanext-dcat's
DCAT-AP 3 profile publishes them as ``dcat:DatasetSeries``,
``dcat:inSeries``, ``dcat:first``/``last``/``prev``/``next``. Here:

- ``ogp_in_series``: the ``in_series`` field of a release, validated with
  messages in the request's language: series given by id or URL name,
  stored as ids, each one a series the user may update;
- the series' order is the releases' period start (``temporal_start``);
- ``releases``: a series' releases in order, as its page lists them, with
  the periods missing up to today (the observatory's timeliness rule).
"""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.ogpguatemala.linking import parse_codes

SERIES_TYPE = "dataset_series"
ORDER_FIELD = "temporal_start"
MAX_RELEASES = 1000


def ogp_in_series(key, data, errors, context):
    """The series a release belongs to: ids or URL names (a list, a JSON
    list or a comma-separated string) stored as a JSON list of ids."""
    value = data.get(key)
    if value is tk.missing or value in (None, "", [], "[]"):
        data.pop(key, None)  # not stored: no series
        raise tk.StopOnError
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            errors[key].append(tk._("Give the series as a list of series names or ids."))
            return
    refs = value if isinstance(value, list) else parse_codes(value, upper=False)
    if not all(isinstance(r, str) for r in refs):
        errors[key].append(tk._("Give the series as a list of series names or ids."))
        return
    refs = [r for r in refs if r.strip()]  # a form's empty choice
    if not refs:
        data.pop(key, None)
        raise tk.StopOnError
    ids = []
    for ref in refs:
        pkg = model.Package.get(ref.strip())
        if pkg is None or pkg.state == "deleted":
            errors[key].append(tk._("There is no dataset series \"%(series)s\".")
                               % {"series": ref[:100]})
            continue
        if pkg.type != SERIES_TYPE:
            errors[key].append(tk._("\"%(series)s\" is a dataset, not a dataset series.")
                               % {"series": pkg.name})
            continue
        if not _may_update(context, pkg.id):
            errors[key].append(tk._("You may not add releases to the series \"%(series)s\".")
                               % {"series": pkg.name})
            continue
        if pkg.id not in ids:
            ids.append(pkg.id)
    data[key] = json.dumps(ids)


def _may_update(context, series_id: str) -> bool:
    if context.get("ignore_auth") and not context.get("user"):
        return True  # an internal write with no user (the site's own jobs)
    try:
        tk.check_access("package_update", {"user": context.get("user")}, {"id": series_id})
    except tk.NotAuthorized:
        return False
    return True


def series_ids(pkg: dict) -> list[str]:
    """The ids of the series a dataset dict belongs to (list or JSON text)."""
    value = pkg.get("in_series") or []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def releases(series: dict) -> dict:
    """The releases of a series the current user may see, in period order:
    {"releases": [{"package", "period"}], "count", "frequency", "coverage"}
    where coverage is the observatory's timeliness of the series (periods
    expected from the first release's up to the last ended one, covered,
    missing; see observatory/timeliness.py), empty without periods."""
    from ckanext.ogpguatemala.observatory import figures, timeliness

    result = tk.get_action("package_search")({}, {
        "fq": '+vocab_in_series:"%s"' % series["id"],
        "sort": "%s asc, metadata_created asc" % ORDER_FIELD,
        "rows": MAX_RELEASES, "include_private": True,
    })
    out, periods = [], set()
    for pkg in result["results"]:
        period = timeliness.period_of(pkg)
        out.append({"package": pkg, "period": period[1] if period else None})
        if period:
            periods.add(period[1])
    frequency = series.get("frequency")
    coverage = {}
    if frequency in timeliness.KINDS and periods:
        coverage = timeliness.coverage(frequency, periods, figures.guatemala_today())
    return {"releases": out, "count": result["count"], "frequency": frequency,
            "coverage": coverage}


def hide_unseen_series(context, pkg: dict) -> None:
    """ckanext-dataset-series adds ``series_navigation`` naming each series of
    a release, read without access checks; a series the caller may not see
    (private, or deleted) is taken out again, with its title."""
    navigation = pkg.get("series_navigation")
    if isinstance(navigation, list):
        pkg["series_navigation"] = [
            entry for entry in navigation if _may_see(context, entry.get("id"))]


def _may_see(context, pkg_id) -> bool:
    try:
        tk.check_access("package_show", {"user": context.get("user")}, {"id": pkg_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def links(ids) -> list[dict]:
    """{"name", "title", "type"} of each series of ``ids`` the current user
    may see, for the release's page."""
    out = []
    for series_id in series_ids({"in_series": ids}):
        try:
            pkg = tk.get_action("package_show")({}, {"id": series_id})
        except (tk.NotAuthorized, tk.ObjectNotFound):
            continue
        out.append({"name": pkg["name"], "title": pkg["title"], "type": pkg["type"]})
    return out


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def period_label(period) -> str:
    """A timeliness period for people: '2024-03' as 'marzo 2024',
    '2024-C2' as '2024, cuatrimestre II', '2024-Q1', '2024-S2', '2024'."""
    from ckanext.ogpguatemala.helpers import ogp_month

    text = str(period or "")
    if len(text) == 7 and text[4] == "-" and text[5:].isdigit():
        return ogp_month(text)
    if len(text) == 7 and text[5] in "CQS" and text[6] in _ROMAN:
        word = {"C": tk._("four-month term"), "Q": tk._("quarter"), "S": tk._("half-year")}[text[5]]
        return "%s, %s %s" % (text[:4], word, _ROMAN[text[6]])
    return text


def get_helpers() -> dict:
    return {"ogp_series_releases": releases, "ogp_series_links": links,
            "ogp_period_label": period_label}


def get_validators() -> dict:
    return {"ogp_in_series": ogp_in_series}
