"""The observatory's web pages:

- ``/observatorio``: the overview (progress by commitment, openness by
  institution, publications over time, calendar of milestones, how each
  figure is computed);
- ``/observatorio/compromiso/<code>`` and ``/observatorio/institucion/<name>``:
  the drill-downs, with the sysadmins' assessment form on the first;
- ``/observatorio/datos/<table>.<csv|json>``: every table as a download.

Every figure comes from the ``ogp_observatory_show`` action (``figures``),
so pages, downloads and the API agree. Each chart is drawn in the browser
from the accessible table printed beside it (``assets/observatory.js``).
"""
from __future__ import annotations

import itertools
import json

from flask import Blueprint, Response, request

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.helpers import ogp_text
from ckanext.ogpguatemala.registry import get_registry
from ckanext.ogpguatemala.text import slug

from . import exports, status

bp = Blueprint("ogp_observatorio", __name__)

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
FILTERS = ("plan", "commitment", "organization")
ASSESSMENT_FIELDS = ("value", "date", "note", "evidence_url")


def _user() -> str:
    return tk.current_user.name if tk.current_user.is_authenticated else ""


def _figures(**filters) -> dict:
    """The figures (public datasets only, whoever asks); an unknown plan,
    commitment or organization is a page that does not exist."""
    data_dict = {k: v for k, v in filters.items() if v}
    try:
        return tk.get_action("ogp_observatory_show")({"user": ""}, data_dict)
    except tk.ValidationError:
        return tk.abort(404, tk._("Not found"))


def _organizations(names) -> dict[str, str]:
    """{name: title} of the active CKAN organizations among ``names``."""
    names = [n for n in names if n]
    if not names:
        return {}
    query = model.Session.query(model.Group.name, model.Group.title).filter(
        model.Group.name.in_(names), model.Group.is_organization.is_(True),
        model.Group.state == "active")
    return {name: title or name for name, title in query}


def _institution_names(names) -> dict[str, str]:
    """{slug: full name in the page's language}: the registry's name, else
    the CKAN organization's title, else the slug."""
    reg = get_registry()
    titles = _organizations([n for n in names if n not in reg.institutions])
    return {name: ogp_text(reg.institutions[name].name) if name in reg.institutions
            else titles.get(name, name) for name in names}


def _calendar(milestones: list[dict]) -> list[tuple[str, list[dict]]]:
    """[(due month, milestones due that month)], in time order."""
    ordered = sorted(milestones, key=lambda m: (m["due"] or "", m["code"]))
    return [(month, list(group)) for month, group in
            itertools.groupby(ordered, key=lambda m: m["due"])]


def _page(template: str, **extra):
    extra.update(statuses=status.STATUSES, scale=status.SCALE, method=status.METHOD)
    return tk.render("ogpguatemala/observatorio/%s" % template, extra)


@bp.route("/observatorio")
def index():
    reg = get_registry()
    plan = (request.args.get("plan") or next(iter(reg.plans))).upper()
    if plan not in reg.plans:
        return tk.abort(404, tk._("Not found"))
    data = _figures()
    milestones = [m for m in data["milestones"] if m["plan"] == plan]
    institutions = sorted(data["institutions"], key=lambda i: i["rank"])
    return _page(
        "index.html", data=data, plan=reg.plans[plan], plans=list(reg.plans.values()),
        commitments=[c for c in data["commitments"] if c["plan"] == plan],
        milestones=milestones, calendar=_calendar(milestones),
        fulfilled=sum(1 for m in milestones if m["status"] == "cumplido"),
        institutions=institutions,
        names=_institution_names([i["name"] for i in institutions]),
    )


def _history(milestone: str) -> list[dict]:
    try:
        return tk.get_action("ogp_assessment_list")({"user": _user()}, {"milestone": milestone})
    except tk.NotAuthorized:
        return []


def _can_assess(milestone: str) -> bool:
    try:
        tk.check_access("ogp_assessment_create", {"user": _user()}, {"milestone": milestone})
    except tk.NotAuthorized:
        return False
    return True


def _commitment_page(code: str, errors: dict | None = None, form: dict | None = None):
    reg = get_registry()
    commitment = reg.commitments.get(code)
    if commitment is None:
        return tk.abort(404, tk._("Commitment not found"))
    data = _figures(commitment=code)
    row = next(c for c in data["commitments"] if c["code"] == code)
    milestones = data["milestones"]
    for m in milestones:
        m["history"] = _history(m["code"])
    return _page(
        "commitment.html", data=data, commitment=commitment, row=row, milestones=milestones,
        plan=reg.plans[commitment.plan_code],
        last_publication=max((m["last_publication"] for m in milestones
                              if m["last_publication"]), default=None),
        names=_institution_names(row["institutions"]),
        can_assess=bool(milestones) and _can_assess(milestones[0]["code"]),
        errors=errors or {}, form=form or {},
    )


@bp.route("/observatorio/compromiso/<code>")
def commitment(code):
    code = code.upper()
    milestone = get_registry().milestones.get(code)
    if milestone is not None:
        return tk.redirect_to(tk.url_for("ogp_observatorio.commitment",
                                         code=milestone.commitment_code) + "#" + code)
    return _commitment_page(code)


@bp.route("/observatorio/hito/<code>/evaluacion", methods=["POST"])
def assess(code):
    """Records a sysadmin's assessment of a milestone (``ogp_assessment_create``)."""
    code = code.upper()
    milestone = get_registry().milestones.get(code)
    if milestone is None:
        return tk.abort(404, tk._("Milestone not found"))
    form = {f: (request.form.get(f) or "").strip() for f in ASSESSMENT_FIELDS}
    try:
        tk.get_action("ogp_assessment_create")({"user": _user()}, dict(form, milestone=code))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only sysadmins can record assessments"))
    except tk.ValidationError as e:
        return _commitment_page(milestone.commitment_code, errors={code: e.error_dict},
                                form={code: form})
    tk.h.flash_success(tk._("Assessment of %(milestone)s recorded") % {"milestone": code})
    return tk.redirect_to(tk.url_for("ogp_observatorio.commitment",
                                     code=milestone.commitment_code) + "#" + code)


@bp.route("/observatorio/institucion/<name>")
def institution(name):
    data = _figures()
    inst = next((i for i in data["institutions"] if i["name"] == name), None)
    if inst is None:
        return tk.abort(404, tk._("Institution not found"))
    milestones = [m for m in data["milestones"] if name in m["institutions_expected"]]
    return _page(
        "institution.html", data=data, inst=inst,
        full_name=_institution_names([name])[name],
        total=len(data["institutions"]),
        series=[t for t in data["timeliness"] if t["organization"] == name],
        milestones=milestones,
        # the downloads filter by CKAN organization: only for those that exist
        exportable=bool(_organizations([name])),
    )


@bp.route("/observatorio/datos/<filename>")
def export(filename):
    """One table of figures as CSV (UTF-8, with a header) or JSON
    (``{"columns", "rows"}``), filtered by ``plan``, ``commitment`` or
    ``organization``."""
    table, _dot, fmt = filename.rpartition(".")
    if table not in exports.TABLES or fmt not in FORMATS:
        return tk.abort(404, tk._("Not found"))
    filters = {k: request.args.get(k) for k in FILTERS}
    columns, rows = exports.rows(_figures(**filters), table)
    if fmt == "csv":
        body = exports.as_csv(columns, rows)
    else:
        body = json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False, indent=1)
    suffix = "".join("-" + slug(v) for v in filters.values() if v)
    response = Response(body, mimetype=FORMATS[fmt].split(";")[0], content_type=FORMATS[fmt])
    response.headers["Content-Disposition"] = 'attachment; filename="observatorio-%s%s.%s"' % (
        table, suffix, fmt)
    return response


def get_blueprints():
    return [bp]
