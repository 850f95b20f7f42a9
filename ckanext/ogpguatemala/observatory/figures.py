"""Every figure of the observatory, from one facet query over public,
active datasets (see ``indexing`` for what each dataset contributes) plus
the plan registry and the recorded assessments. The structure is the one
``ogp_observatory_show``, the pages and the CSV/JSON exports share."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.registry import get_registry

from . import assessments, openness, status, timeliness
from .indexing import FIELDS, TIMEZONE
from .status import METHOD, SCALE_LABELS, STATUS_LABELS  # noqa: F401 (re-exported for pages)

ESTIMATE_LABELS = SCALE_LABELS


def guatemala_today() -> dt.date:
    return dt.datetime.now(TIMEZONE).date()


_COUNTS = ("vocab_ogp_milestones", "vocab_ogp_commitments")


def _facets(fq: list[str], fields=FIELDS + _COUNTS) -> tuple[int, dict[str, dict[str, int]]]:
    result = tk.get_action("package_search")({"user": "", "ignore_auth": True}, {
        "q": "*:*", "fq": " ".join(fq), "rows": 0,
        "include_private": False, "include_drafts": False,
        "facet": "true", "facet.field": list(fields),
        "facet.limit": -1, "facet.mincount": 1,
    })
    facets = result.get("facets") or {}
    # (search.after_search gives the link fields back their public names)
    return result["count"], {f: dict(facets.get(f) or facets.get(f.replace("vocab_", ""), {}))
                             for f in fields}


def _publishers(facet: dict[str, int]) -> tuple[dict[str, set], dict[str, str]]:
    """{milestone: organizations publishing}, {milestone: last publication day}."""
    publishing, last = defaultdict(set), {}
    for (code, org, day_published), _n in _split(facet, 3):
        publishing[code].add(org)
        last[code] = max(last.get(code, ""), day_published)
    return publishing, last


def milestone_statuses(today: dt.date | None = None) -> dict[str, str]:
    """{milestone: status} for every milestone of the registry: the badges
    of the dataset and commitment pages (two facets, nothing else)."""
    reg, day = get_registry(), today or guatemala_today()
    _total, facets = _facets([], ("vocab_ogp_obs_pub", "vocab_ogp_milestones"))
    publishing, _last = _publishers(facets["vocab_ogp_obs_pub"])
    return {m.code: status.milestone_status(
        list(reg.milestone_institutions(m)), sorted(publishing.get(m.code, ())),
        facets["vocab_ogp_milestones"].get(m.code, 0), status.due(m), day)
        for m in reg.milestones.values()}


def _public_series(dtype: str, series_id: str) -> dict | None:
    """{"name", "title"} of the dataset series a timeliness row counts, if
    it is public (the observatory shows public facts only)."""
    if dtype != "dataset_series":
        return None
    from ckan import model

    pkg = model.Package.get(series_id)
    if pkg is None or pkg.private or pkg.state != "active":
        return None
    return {"name": pkg.name, "title": pkg.title}


def _split(facet: dict[str, int], parts: int):
    for value, count in facet.items():
        pieces = value.split("|")
        if len(pieces) == parts:
            yield pieces, count


def _average(scores: dict[int, int]) -> int | None:
    total = sum(scores.values())
    return round(sum(s * n for s, n in scores.items()) / total) if total else None


def figures(plan: str | None = None, commitment: str | None = None,
            organization: str | None = None, today: dt.date | None = None) -> dict:
    reg = get_registry()
    day = today or guatemala_today()
    fq = []
    if plan:
        fq.append('ogp_plans:"%s"' % plan)
    if commitment:
        fq.append('ogp_commitments:"%s"' % commitment)
    if organization:
        fq.append('organization:"%s"' % organization)
    total, facets = _facets(fq)

    # --- per milestone: publishers and last publication
    publishing, last = _publishers(facets["vocab_ogp_obs_pub"])
    per_milestone = facets["vocab_ogp_milestones"]
    recorded = assessments.latest_by_milestone()

    plans = [reg.plans[plan]] if plan in reg.plans else list(reg.plans.values())
    milestones, commitments = [], []
    commitment_scores = defaultdict(dict)
    for (code, score), n in _split(facets["vocab_ogp_obs_commitment_score"], 2):
        commitment_scores[code][int(score)] = n
    for p in plans:
        for c in p.commitments:
            if commitment and c.code != commitment:
                continue
            rows = []
            for m in c.milestones:
                expected = list(reg.milestone_institutions(m))
                pubs = sorted(publishing.get(m.code, ()))
                count = per_milestone.get(m.code, 0)
                row = {
                    "code": m.code, "commitment": c.code, "plan": p.code, "text": m.text,
                    "start": m.start, "end": m.end, "extended_end": m.extended_end,
                    "due": status.due(m), "institutions_expected": expected,
                    "institutions_publishing": [o for o in pubs if o in expected],
                    "datasets": count, "last_publication": last.get(m.code),
                    "status": status.milestone_status(expected, pubs, count, status.due(m), day),
                    "estimate": status.estimate(expected, pubs, count, m.start, day),
                    "assessment": recorded.get(m.code),
                }
                rows.append(row)
            milestones.extend(rows)
            counts = defaultdict(int)
            for r in rows:
                counts[r["status"]] += 1
            commitments.append({
                "code": c.code, "plan": p.code, "title": c.title,
                "institutions": list(c.institutions), "milestones": len(rows),
                "datasets": facets["vocab_ogp_commitments"].get(c.code, 0),
                "institutions_publishing": sorted({o for r in rows
                                                   for o in r["institutions_publishing"]}),
                "status_counts": dict(counts),
                "progress": round(100 * counts["cumplido"] / len(rows)) if rows else None,
                "estimate": status.lowest(r["estimate"] for r in rows),
                "openness": _average(commitment_scores.get(c.code, {})),
            })

    # --- series and timeliness
    series = defaultdict(set)
    for (org, dtype, programme, freq, period), _n in _split(facets["vocab_ogp_obs_series"], 5):
        if freq in timeliness.KINDS:
            series[(org, dtype, programme, freq)].add(period)
    timely = []
    for (org, dtype, programme, freq), periods in sorted(series.items()):
        timely.append(dict({"organization": org, "type": dtype, "programme": programme,
                            "frequency": freq, "series": _public_series(dtype, programme)},
                           **timeliness.coverage(freq, periods, day)))

    # --- institutions
    org_scores, org_months, months = defaultdict(dict), defaultdict(dict), defaultdict(int)
    for (org, score), n in _split(facets["vocab_ogp_obs_org_score"], 2):
        org_scores[org][int(score)] = n
    for (org, month), n in _split(facets["vocab_ogp_obs_org_month"], 2):
        org_months[org][month] = n
        months[month] += n
    names = set(org_scores) | ({organization} if organization else set(reg.institutions))
    institutions = []
    for name in sorted(n for n in names if n):
        due_periods = [t for t in timely if t["organization"] == name and t["expected"]]
        expected_n = sum(t["expected"] for t in due_periods)
        institutions.append({
            "name": name, "title": reg.institution_label(name),
            "datasets": sum(org_scores.get(name, {}).values()),
            "openness": _average(org_scores.get(name, {})),
            "timeliness": round(100 * sum(t["covered"] for t in due_periods) / expected_n)
            if expected_n else None,
            "trend": [{"month": k, "datasets": v} for k, v in sorted(org_months[name].items())],
        })
    ranked = sorted(institutions, key=lambda i: (-(i["openness"] or -1), -(i["timeliness"] or -1),
                                                 -i["datasets"], i["name"]))
    for rank, inst in enumerate(ranked, 1):
        inst["rank"] = rank

    all_scores = defaultdict(int)
    for scores in org_scores.values():
        for s, n in scores.items():
            all_scores[s] += n
    return {
        "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "today": day.isoformat(),
        "filters": {"plan": plan, "commitment": commitment, "organization": organization},
        "datasets": total,
        "milestones": milestones,
        "commitments": commitments,
        "institutions": institutions,
        "timeliness": timely,
        "publications": [{"month": k, "datasets": v} for k, v in sorted(months.items())],
        "openness": {"criteria": [{"key": k, "label": label, "points": pts}
                                  for k, label, pts in openness.CRITERIA],
                     "average": _average(all_scores)},
    }
