"""The observatory: plans, commitments and milestones with the public
datasets that fulfil them. Shared by the web pages (views.py) and the API
actions (logic/actions.py); every count comes from Solr facets over public
datasets only.
"""
from __future__ import annotations

from ckanext.ogpguatemala import search
from ckanext.ogpguatemala.registry import get_registry

COUNT_FIELDS = ("ogp_plans", "ogp_commitments", "ogp_milestones", "ogp_institutions")


def counts() -> dict:
    """{field: {code: public dataset count}} for the registry fields."""
    return search.count_by(COUNT_FIELDS)


def _institutions(slugs) -> list[dict]:
    reg = get_registry()
    return [reg.institutions[s].as_dict() for s in slugs if s in reg.institutions]


def milestone_summary(m, c: dict) -> dict:
    out = m.as_dict()
    out["institutions"] = _institutions(get_registry().milestone_institutions(m))
    out["dataset_count"] = c["ogp_milestones"].get(m.code, 0)
    return out


def commitment_summary(commitment, c: dict, with_milestones: bool = False) -> dict:
    out = commitment.as_dict(with_milestones=False)
    out["institutions"] = _institutions(commitment.institutions)
    out["milestone_count"] = len(commitment.milestones)
    out["dataset_count"] = c["ogp_commitments"].get(commitment.code, 0)
    if with_milestones:
        out["milestones"] = [milestone_summary(m, c) for m in commitment.milestones]
    return out


def plan_summary(plan, c: dict, with_milestones: bool = False) -> dict:
    out = plan.as_dict(with_commitments=False)
    out["commitment_count"] = len(plan.commitments)
    out["milestone_count"] = len(plan.milestones)
    out["dataset_count"] = c["ogp_plans"].get(plan.code, 0)
    out["commitments"] = [
        commitment_summary(x, c, with_milestones) for x in plan.commitments
    ]
    return out


def datasets_of(code: str, limit: int = 10) -> list[dict]:
    """Public datasets linked to a commitment or a milestone (its code), at
    most ``limit``, in title order: a light record each (name, title, type,
    organization, milestones), straight from Solr. The page shows these and
    links to the search for the rest, so it stays the same size however
    many datasets a milestone gathers."""
    from ckan.plugins import toolkit as tk

    field = "ogp_milestones" if get_registry().kind_of(code) == "milestone" else "ogp_commitments"
    result = tk.get_action("package_search")(
        {"user": ""},
        {
            "q": "*:*",
            "fq": '%s:"%s"' % (field, code),
            "rows": limit,
            "sort": "title_string asc",
            "include_private": False,
            "include_drafts": False,
            "fl": ["id", "name", "title", "dataset_type", "organization",
                   "vocab_ogp_milestones", "metadata_modified"],
        },
    )
    out = []
    for r in result["results"]:
        r["ogp_milestones"] = r.pop("vocab_ogp_milestones", []) or []
        out.append(r)
    return out
