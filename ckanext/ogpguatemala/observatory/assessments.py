"""Assessments that sysadmins record per milestone, kept with their history.

The observatory computes an estimate of every milestone on the independent
reviewers' completion scale (``figures``); a sysadmin of the plan's
coordinating institution may record, next to it, an assessment of their
own: a value on the same scale, the date it refers to, a note and a link to
the evidence. Nothing is overwritten: every record is kept in the
``ogp_milestone_assessment`` table (created by the plugin's alembic
migration, ``migration/ogpguatemala``) and the newest one is shown.

- ``ogp_assessment_create`` records one (sysadmins only);
- ``ogp_assessment_list`` gives a milestone's history, newest first (public).
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from urllib.parse import urlsplit

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.linking import problem_with

from .indexing import TIMEZONE
# The independent reviewers' completion scale (lowest first) and its labels,
# shared with the computed estimate.
from .status import SCALE, SCALE_LABELS

__all__ = ["SCALE", "SCALE_LABELS", "MilestoneAssessment", "latest_by_milestone", "history",
           "get_actions", "get_auth_functions"]

NOTE_MAX = 2000
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class MilestoneAssessment(tk.BaseModel):
    """One recorded assessment of a milestone (never updated: a new
    assessment is a new row)."""

    __tablename__ = "ogp_milestone_assessment"

    id = sa.Column(sa.UnicodeText, primary_key=True)
    milestone = sa.Column(sa.UnicodeText, nullable=False, index=True)
    value = sa.Column(sa.UnicodeText, nullable=False)
    assessed_on = sa.Column(sa.Date, nullable=False)
    note = sa.Column(sa.UnicodeText, nullable=False, default="")
    evidence_url = sa.Column(sa.UnicodeText, nullable=False, default="")
    author_id = sa.Column(sa.UnicodeText, nullable=True)
    created = sa.Column(sa.DateTime(timezone=True), nullable=False, default=_now)


def _as_dict(record: MilestoneAssessment, author: str | None) -> dict:
    created = record.created
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.timezone.utc)
    return {
        "id": record.id, "milestone": record.milestone, "value": record.value,
        "date": record.assessed_on.isoformat(), "note": record.note or "",
        "evidence_url": record.evidence_url or "", "author": author or "",
        "created": created.astimezone(dt.timezone.utc).isoformat(),
    }


def _with_author():
    """Assessments with their author's user name (None if unknown)."""
    return sa.select(MilestoneAssessment, model.User.name).outerjoin(
        model.User, model.User.id == MilestoneAssessment.author_id)


_NEWEST_FIRST = (MilestoneAssessment.created.desc(), MilestoneAssessment.id.desc())


def latest_by_milestone() -> dict:
    """``{milestone code: newest assessment}`` for every assessed milestone
    (one query: PostgreSQL's ``DISTINCT ON``)."""
    query = _with_author().distinct(MilestoneAssessment.milestone).order_by(
        MilestoneAssessment.milestone, *_NEWEST_FIRST)
    return {record.milestone: _as_dict(record, author)
            for record, author in model.Session.execute(query)}


def history(code: str) -> list[dict]:
    """Every assessment of milestone ``code``, newest first."""
    query = _with_author().where(MilestoneAssessment.milestone == code).order_by(*_NEWEST_FIRST)
    return [_as_dict(record, author) for record, author in model.Session.execute(query)]


# ------------------------------------------------------------ validation
def _milestone(value, context):
    code = value.strip().upper()
    problem = problem_with(code)
    if problem:
        raise tk.Invalid(problem)
    return code


def _on_scale(value, context):
    code = value.strip().lower()
    if code not in SCALE:
        raise tk.Invalid(tk._("'%(value)s' is not on the completion scale; use one of: %(choices)s")
                         % {"value": value, "choices": ", ".join(SCALE)})
    return code


def _past_date(value, context):
    sent = value.strip()
    try:
        day = dt.date.fromisoformat(sent) if ISO_DATE.match(sent) else None
    except ValueError:
        day = None
    if day is None:
        raise tk.Invalid(tk._("'%(value)s' is not a valid date for '%(field)s'; use YYYY-MM-DD")
                         % {"value": value, "field": tk._("Assessment date")})
    today = dt.datetime.now(TIMEZONE).date()
    if day > today:
        raise tk.Invalid(tk._("'%(value)s' is in the future: an assessment records what was observed "
                              "up to today (%(today)s)") % {"value": sent, "today": today.isoformat()})
    return day


def _note(value, context):
    value = value.strip()
    if len(value) > NOTE_MAX:
        raise tk.Invalid(tk._("%(subject)s can be at most %(n)s characters long.")
                         % {"subject": tk._("The note"), "n": NOTE_MAX})
    return value


def _http_url(value, context):
    value = value.strip()
    if not value:
        return ""
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"\s", value)
    except ValueError:
        ok = False
    if not ok:
        raise tk.Invalid(tk._("'%(value)s' is not an http(s) link; give the address of the evidence "
                              "(e.g. https://www.gobiernoabierto.gob.gt/...)") % {"value": value})
    return value


def _schema(*fields) -> dict:
    not_empty, ignore_missing, unicode_safe = (tk.get_validator(name) for name in (
        "not_empty", "ignore_missing", "unicode_safe"))
    schema = {
        "milestone": [not_empty, unicode_safe, _milestone],
        "value": [not_empty, unicode_safe, _on_scale],
        "date": [not_empty, unicode_safe, _past_date],
        "note": [ignore_missing, unicode_safe, _note],
        "evidence_url": [ignore_missing, unicode_safe, _http_url],
    }
    return {name: schema[name] for name in fields}


def _validate(data_dict, context, *fields) -> dict:
    data, errors = tk.navl_validate(dict(data_dict or {}), _schema(*fields), context)
    errors = {field: messages for field, messages in errors.items() if field in fields and messages}
    if errors:
        raise tk.ValidationError(errors)
    return data


# --------------------------------------------------------------- actions
def ogp_assessment_create(context, data_dict):
    """Record an assessment of a milestone (sysadmins only).

    :param milestone: the milestone code (e.g. PAN6-C2-H1)
    :param value: on the completion scale: no_evidence, not_started,
        limited, substantial or complete
    :param date: the day the assessment refers to (YYYY-MM-DD, not in the future)
    :param note: optional, at most 2000 characters
    :param evidence_url: optional http(s) link to the evidence
    :returns: the recorded assessment (as in ``ogp_assessment_list``)
    """
    tk.check_access("ogp_assessment_create", context, data_dict)
    data = _validate(data_dict, context, "milestone", "value", "date", "note", "evidence_url")
    user = context.get("auth_user_obj")
    if user is None and isinstance(context.get("user"), str) and context["user"]:
        user = model.User.get(context["user"])
    record = MilestoneAssessment(
        id=str(uuid.uuid4()), milestone=data["milestone"], value=data["value"], assessed_on=data["date"],
        note=data.get("note") or "", evidence_url=data.get("evidence_url") or "",
        author_id=user.id if user else None, created=_now())
    model.Session.add(record)
    if not context.get("defer_commit"):
        model.repo.commit()
    return _as_dict(record, user.name if user else None)


@tk.side_effect_free
def ogp_assessment_list(context, data_dict):
    """The assessments recorded for a milestone, newest first (public).

    :param milestone: the milestone code (e.g. PAN6-C2-H1)
    """
    tk.check_access("ogp_assessment_list", context, data_dict)
    return history(_validate(data_dict, context, "milestone")["milestone"])


def ogp_assessment_create_auth(context, data_dict):
    """Sysadmins only (CKAN lets them through before asking this)."""
    return {"success": False, "msg": tk._("Only sysadmins may record milestone assessments")}


@tk.auth_allow_anonymous_access
def ogp_assessment_list_auth(context, data_dict):
    return {"success": True}


def get_actions() -> dict:
    return {"ogp_assessment_create": ogp_assessment_create,
            "ogp_assessment_list": ogp_assessment_list}


def get_auth_functions() -> dict:
    return {"ogp_assessment_create": ogp_assessment_create_auth,
            "ogp_assessment_list": ogp_assessment_list_auth}
