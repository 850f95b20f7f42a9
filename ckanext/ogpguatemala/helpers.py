"""Template helpers (all prefixed ``ogp_``)."""
from __future__ import annotations

import functools

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala import linking
from ckanext.ogpguatemala.messages import N_
from ckanext.ogpguatemala.registry import get_registry, text


def ogp_lang() -> str:
    """The two-letter UI language, 'es' or 'en'."""
    try:
        return (tk.h.lang() or "es")[:2]
    except Exception:
        return "es"


def ogp_text(value) -> str:
    """A registry text ({'es': …, 'en': …}) in the UI language."""
    return text(value, ogp_lang())


def ogp_registry():
    return get_registry()


def ogp_codes(value) -> list[str]:
    return linking.parse_codes(value)


def ogp_dataset_links(pkg_dict) -> list[dict]:
    return linking.dataset_links(pkg_dict)


def ogp_milestone_groups(plans_with_milestones_only: bool = True) -> list[dict]:
    """For the milestone select: [{plan, commitments: [{commitment, milestones}]}]."""
    reg = get_registry()
    out = []
    for plan in reg.plans.values():
        groups = [
            {"commitment": c, "milestones": list(c.milestones)}
            for c in plan.commitments
            if c.milestones
        ]
        if groups or not plans_with_milestones_only:
            out.append({"plan": plan, "commitments": groups})
    return out


def ogp_month(value) -> str:
    """'2024-01' -> 'enero 2024' / 'January 2024'."""
    from ckanext.ogpguatemala.portal.display import format_month

    return format_month(value, ogp_lang())




# ---- choices helpers for scheming (``choices_helper: ogp_…_choices``) ----
def _bilingual(vocab):
    from ckanext.ogpguatemala import vocabularies

    return [
        {"value": e["value"], "label": dict(e["label"])}
        for e in vocabularies.vocabulary(vocab)
    ]


def ogp_frequency_choices(field=None):
    return _bilingual("frequencies")


def ogp_language_choices(field=None):
    return _bilingual("languages")


def ogp_country_choices(field=None):
    return _bilingual("countries")


@functools.lru_cache(maxsize=1)
def _department_choices():
    from ckanext.ogpguatemala import geo

    return [{"value": c, "label": "%s — %s" % (c, n)} for c, n in geo.DEPARTMENTS.items()]


@functools.lru_cache(maxsize=1)
def _municipality_choices():
    from ckanext.ogpguatemala import geo

    return [
        {"value": c, "label": "%s — %s (%s)" % (c, n, geo.DEPARTMENTS[d])}
        for c, (n, d) in geo.MUNICIPALITIES.items()
    ]


def ogp_department_choices(field=None):
    """INE departments (static: built once per process)."""
    return _department_choices()


def ogp_municipality_choices(field=None):
    """INE municipalities (static: built once per process)."""
    return _municipality_choices()


def ogp_codelist_choices(field):
    """An OC4IDS codelist named by the field's ``ogp_codelist``."""
    from ckanext.ogpguatemala.infrastructure import settings

    return settings.codelist_choices(field["ogp_codelist"])


def ogp_currency_choices(field=None):
    from ckanext.ogpguatemala.infrastructure import settings

    return settings.currency_choices()


CHOICES_HELPERS = (ogp_frequency_choices, ogp_language_choices, ogp_country_choices,
                   ogp_department_choices, ogp_municipality_choices, ogp_codelist_choices,
                   ogp_currency_choices)


def ogp_check_report(resource) -> dict | None:
    from ckanext.ogpguatemala.checks import report_of

    return report_of(resource)


def ogp_checker_label(name) -> str:
    """What a file was checked against, in the page's language."""
    from ckanext.ogpguatemala.checks.checkers import LABELS

    key = (name or "").split(":")[0]  # "table-schema:<schema>"
    return tk._(LABELS[key]) if key in LABELS else (name or "")


_FORMAT_NAMES = {"csv": "CSV", "xlsx": "XLSX", "ods": "ODS", "tsv": "TSV"}
_DELIMITER_NAMES = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab"), "|": N_("vertical bar")}


def ogp_check_read_summary(report) -> list[str]:
    """How a checked table was read (format, encoding, delimiter, sheet,
    header row), in the page's language, for its report."""
    if not isinstance(report, dict) or not report.get("format"):
        return []
    out = [_FORMAT_NAMES.get(report["format"], str(report["format"]).upper())]
    if report.get("encoding"):
        out.append(tk._("encoding %(encoding)s") % {"encoding": report["encoding"]})
    name = _DELIMITER_NAMES.get(report.get("delimiter"))
    if name:
        out.append(tk._("separated by %(delimiter)s") % {"delimiter": tk._(name)})
    if report.get("sheet"):
        out.append(tk._("sheet “%(sheet)s”") % {"sheet": report["sheet"]})
    if report.get("header_row"):
        out.append(tk._("header in row %(row)s") % {"row": report["header_row"]})
    return out


def ogp_quality_summary(pkg: dict) -> dict | None:
    """The dataset's data-quality flag from its resources' checks:
    ``{"status": "valid"|"warnings"|"invalid"|"pending", "checked", "valid",
    "invalid", "pending", "warnings"}``; None when no resource is checked."""
    from ckanext.ogpguatemala.checks import report_of

    counts = {"checked": 0, "valid": 0, "invalid": 0, "pending": 0, "warnings": 0}
    for res in pkg.get("resources") or []:
        status = res.get("ogp_check_status")
        if status not in ("valid", "invalid", "pending"):
            continue
        counts["checked"] += 1
        counts[status] += 1
        if status == "valid" and (report_of(res) or {}).get("warnings"):
            counts["warnings"] += 1
    if not counts["checked"]:
        return None
    status = ("invalid" if counts["invalid"] else "pending" if counts["pending"]
              else "warnings" if counts["warnings"] else "valid")
    return dict(counts, status=status)


def ogp_message(message) -> str:
    """A stored message ({"msgid", "params"}) in the page's language."""
    from ckanext.ogpguatemala.messages import render

    if isinstance(message, dict) and "msgid" not in message and "es" in message:
        return ogp_text(message)  # reports stored before the catalogue existed
    return render(message)


def _statuses() -> dict:
    """Every milestone's status, computed once per request (none while
    Solr is down: a dataset's page then shows its milestones without)."""
    import flask

    from ckanext.ogpguatemala.observatory import figures
    from ckanext.ogpguatemala.search_outage import SEARCH_ERRORS

    def compute():
        try:
            return figures.milestone_statuses()
        except SEARCH_ERRORS:
            return {}

    if flask.has_request_context():
        if not hasattr(flask.g, "ogp_milestone_statuses"):
            flask.g.ogp_milestone_statuses = compute()
        return flask.g.ogp_milestone_statuses
    return compute()


def ogp_milestone_status(code) -> str | None:
    """The observatory's status of a milestone (``sin_iniciar`` … ``cumplido``)."""
    return _statuses().get(code)


def ogp_organization_box(org_id) -> dict:
    """The publisher box of a dataset page: the organization's name, title,
    image and description. CKAN's ``get_organization`` also counts its
    datasets in Solr and lists its members and followers, none of which the
    box shows (``show_nums=false``): 30 ms of a 100 ms page at 10,000
    datasets. Read once per request, without them."""
    import flask

    def read():
        try:
            return tk.get_action("organization_show")({}, {
                "id": org_id, "include_datasets": False, "include_dataset_count": False,
                "include_users": False, "include_groups": False, "include_tags": False,
                "include_followers": False})
        except (tk.ObjectNotFound, tk.ValidationError, tk.NotAuthorized):
            return {}

    if not flask.has_request_context():
        return read()
    boxes = flask.g.setdefault("ogp_organization_boxes", {})
    if org_id not in boxes:
        boxes[org_id] = read()
    return boxes[org_id]


def ogp_status_label(code) -> str:
    """A status or reviewers'-scale code as words in the page's language."""
    from ckanext.ogpguatemala.observatory.status import SCALE_LABELS, STATUS_LABELS

    label = STATUS_LABELS.get(code) or SCALE_LABELS.get(code)
    return tk._(label) if label else (code or "")


@functools.lru_cache(maxsize=1)
def ogp_charts_available() -> bool:
    """Whether Chart.js is installed (``npm ci`` in assets/, run by ``make``)."""
    import os

    return os.path.exists(os.path.join(os.path.dirname(__file__), "assets", "node_modules",
                                       "chart.js", "dist", "chart.umd.min.js"))


def get_helpers() -> dict:
    return {
        f.__name__: f
        for f in (ogp_lang, ogp_text, ogp_registry, ogp_codes, ogp_dataset_links,
                  ogp_milestone_groups, ogp_month, ogp_check_report, ogp_checker_label, ogp_check_read_summary,
                  ogp_quality_summary,
                  ogp_message, ogp_milestone_status, ogp_status_label, ogp_charts_available,
                  ogp_organization_box)
        + CHOICES_HELPERS
    }
