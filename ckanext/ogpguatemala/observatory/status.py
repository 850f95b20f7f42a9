"""The rules that turn what is published into a milestone's status and the
portal's estimate on the independent reviewers' completion scale.

Pure Python: the figures (``figures``) feed them counts from Solr; the page
explains them with the texts in :data:`METHOD`.
"""
from __future__ import annotations

import calendar
import datetime as dt

from ckanext.ogpguatemala.messages import N_

# How close to its due date a milestone is "por vencer" (due soon).
DUE_SOON_DAYS = 90

STATUSES = ("sin_iniciar", "en_curso", "por_vencer", "vencido", "cumplido")
STATUS_LABELS = {
    "sin_iniciar": N_("Not started yet"),
    "en_curso": N_("In progress"),
    "por_vencer": N_("Due soon"),
    "vencido": N_("Overdue"),
    "cumplido": N_("Fulfilled"),
}
# The independent reviewers' completion scale, lowest first.
SCALE = ("no_evidence", "not_started", "limited", "substantial", "complete")
SCALE_LABELS = {
    "no_evidence": N_("No evidence"),
    "not_started": N_("Not started"),
    "limited": N_("Limited"),
    "substantial": N_("Substantial"),
    "complete": N_("Complete"),
}


def month_end(month: str) -> dt.date:
    """'2025-06' -> 2025-06-30."""
    year, mon = int(month[:4]), int(month[5:7])
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def month_start(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def due(milestone) -> str:
    """The month a milestone is due: its extended end if the plan gives one."""
    return milestone.extended_end or milestone.end


def milestone_status(expected: list, publishing: list, datasets: int, due_month: str,
                     today: dt.date) -> str:
    """See METHOD. ``expected``: the responsible institutions; ``publishing``:
    those with at least one public dataset linked to the milestone."""
    done = bool(expected) and set(expected) <= set(publishing)
    if done:
        return "cumplido"
    end = month_end(due_month)
    if today > end:
        return "vencido"
    if (end - today).days <= DUE_SOON_DAYS:
        return "por_vencer"
    return "en_curso" if datasets else "sin_iniciar"


def estimate(expected: list, publishing: list, datasets: int, start_month: str,
             today: dt.date) -> str:
    """The portal's estimate on the reviewers' scale (see METHOD)."""
    share = len(set(publishing) & set(expected)) / len(expected) if expected else 0
    if expected and share == 1:
        return "complete"
    if share >= 0.5:
        return "substantial"
    if datasets:
        return "limited"
    return "not_started" if today < month_start(start_month) else "no_evidence"


def lowest(estimates) -> str | None:
    """The lowest estimate on the scale (a commitment is as far as its least
    advanced milestone)."""
    ranked = [SCALE.index(e) for e in estimates if e in SCALE]
    return SCALE[min(ranked)] if ranked else None


# (title, text) msgids shown on /observatorio under "How each figure is computed".
METHOD = (
    (N_("What counts"),
     N_("Only public, active datasets of the catalogue count: private and draft datasets change "
        "no figure. A dataset counts for the milestones it is linked to, and for the "
        "institution (organization) that publishes it.")),
    (N_("Milestone status"),
     N_("Fulfilled: every institution responsible for the milestone in the plan publishes at "
        "least one dataset linked to it. Otherwise, against the milestone's due month (its "
        "extended end date where the plan gives one): Overdue once that month has ended; Due "
        "soon within the last 90 days before it ends; In progress when something is "
        "published; Not started yet when nothing is.")),
    (N_("Portal estimate (reviewers' completion scale)"),
     N_("Complete: every responsible institution publishes. Substantial: at least half of "
        "them do. Limited: something is published, by fewer than half. Not started: nothing "
        "is published and the milestone has not started yet. No evidence: nothing is "
        "published and the milestone has started. A commitment's estimate is that of its "
        "least advanced milestone; its progress is the share of its milestones fulfilled. "
        "Assessments recorded by the portal's administrators are shown beside the estimate, "
        "with their history; they never replace it.")),
    (N_("Timeliness of periodic publications"),
     N_("Datasets that declare a frequency (monthly, four-monthly, quarterly, half-yearly, "
        "yearly) and a period form a series per institution, type and programme. The period "
        "is the reporting month (MINTRAB), the year and four-month term (CONAMIGUA) or the "
        "start of the temporal coverage. Every period from the series' first one up to the "
        "last period that has ended is expected; timeliness is the share of expected periods "
        "published, and the missing ones are listed.")),
    (N_("Openness score (0-100)"),
     N_("Open licence: 20 points. At least one machine-readable resource (CSV, JSON, XML, "
        "XLSX, ODS, GeoJSON…): 20. At least one in a non-proprietary machine-readable format "
        "(CSV, JSON, XML, ODS, GeoJSON…; not Excel): 15. Complete metadata: 20 times the "
        "share of the type's required and recommended fields filled. Direct download (an "
        "uploaded file or a link to one) or DataStore API: 10. Passing the type's own "
        "validation (MINTRAB table schema, OC4IDS schema) with no invalid file: 15. "
        "Institutions and commitments get the average of their datasets.")),
)
