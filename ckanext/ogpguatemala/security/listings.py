"""CKAN core listings that read the whole database, narrowed to what the
caller may see.

CKAN 2.12 answers ``tag_list``, ``tag_search``, ``tag_autocomplete`` and
``format_autocomplete`` from the ``tag`` and ``resource`` tables without
looking at who owns the datasets, so anyone could read the tags and file
formats of private and draft datasets; ``member_list`` lists the ids of an
organization's private datasets to anyone; the activity plugin lists the
activities of private datasets' resource views to anyone (they carry no
permission labels); ckanext-harvest's ``harvest_source_list`` gives an
anonymous caller every source, private ones included. These chained actions keep only
the tags and formats of datasets the caller can find in search (which
applies CKAN's own permission labels: public datasets, plus the private ones
of the caller's organizations) and only the datasets the caller may read.

A sysadmin, and an internal call that skips auth, get CKAN's answer unchanged.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model

# Large enough for every tag or format of a national catalogue; Solr counts
# facets over the whole index, this only bounds the answer.
FACET_LIMIT = 100000


def _is_sysadmin(context) -> bool:
    """A sysadmin, or an internal call that skips auth: CKAN's answer as is."""
    return bool(context.get("ignore_auth")) or authz.is_sysadmin(context.get("user"))


def _visible_facet(context, field: str) -> set[str]:
    """Values of ``field`` over the datasets the caller can find."""
    result = tk.get_action("package_search")(
        {"user": context.get("user"), "ignore_auth": False},
        {"q": "*:*", "rows": 0, "facet.field": [field], "facet.limit": FACET_LIMIT,
         "facet.mincount": 1, "include_private": True, "include_drafts": True})
    facet = result["search_facets"].get(field) or {}
    return {item["name"] for item in facet.get("items", [])}


def _tag_field(data_dict) -> str:
    vocabulary = data_dict.get("vocabulary_id")
    if not vocabulary:
        return "tags"
    vocab = model.Vocabulary.get(vocabulary)
    return "vocab_" + vocab.name if vocab else "tags"


def _tag_name(tag) -> str:
    return tag["name"] if isinstance(tag, dict) else tag


@tk.chained_action
@tk.side_effect_free
def tag_list(up_func, context, data_dict):
    tags = up_func(context, data_dict)
    if _is_sysadmin(context):
        return tags
    visible = _visible_facet(context, _tag_field(data_dict))
    return [t for t in tags if _tag_name(t) in visible]


@tk.chained_action
@tk.side_effect_free
def tag_autocomplete(up_func, context, data_dict):
    if _is_sysadmin(context):
        return up_func(context, data_dict)
    limit = tk.asint(data_dict.get("limit") or 10)
    names = up_func(context, dict(data_dict, limit=FACET_LIMIT, offset=0))
    visible = _visible_facet(context, _tag_field(data_dict))
    return [n for n in names if n in visible][:limit]


@tk.chained_action
@tk.side_effect_free
def tag_search(up_func, context, data_dict):
    if _is_sysadmin(context):
        return up_func(context, data_dict)
    limit = tk.asint(data_dict.get("limit") or 10)
    offset = tk.asint(data_dict.get("offset") or 0)
    found = up_func(context, dict(data_dict, limit=FACET_LIMIT, offset=0))
    visible = _visible_facet(context, _tag_field(data_dict))
    results = [t for t in found["results"] if _tag_name(t) in visible]
    return {"count": len(results), "results": results[offset:offset + limit]}


@tk.chained_action
@tk.side_effect_free
def format_autocomplete(up_func, context, data_dict):
    if _is_sysadmin(context):
        return up_func(context, data_dict)
    limit = tk.asint(data_dict.get("limit") or 5)
    formats = up_func(context, dict(data_dict, limit=FACET_LIMIT))
    visible = {f.lower() for f in _visible_facet(context, "res_format")}
    return [f for f in formats if f.lower() in visible][:limit]


def _hidden_packages(context, ids) -> set[str]:
    """The ids among ``ids`` of datasets the caller may not read: private
    or not active, and not of one of the caller's organizations."""
    user = context.get("user")
    readable_orgs: dict[str, bool] = {}

    def readable(pkg) -> bool:
        if not pkg.private and pkg.state == "active":
            return True
        if not user or not pkg.owner_org:
            return False
        if pkg.owner_org not in readable_orgs:
            readable_orgs[pkg.owner_org] = authz.has_user_permission_for_group_or_org(
                pkg.owner_org, user, "read")
        return readable_orgs[pkg.owner_org]

    ids = set(ids)
    if not ids:
        return set()
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(ids)).all()
    return {p.id for p in packages if not readable(p)}


@tk.chained_action
@tk.side_effect_free
def member_list(up_func, context, data_dict):
    members = up_func(context, data_dict)
    if _is_sysadmin(context):
        return members
    hidden = _hidden_packages(context, [m[0] for m in members if m[1] == "package"])
    return [m for m in members if not (m[1] == "package" and m[0] in hidden)]


def _activities(up_func, context, data_dict):
    """An activity list without the activities of datasets the caller may
    not read. CKAN's activity plugin filters by permission labels, but gives
    the activities of resource views (``new resource view`` …) none, so they
    were listed to everyone, with the view's title and description."""
    activities = up_func(context, data_dict)
    if _is_sysadmin(context) or not isinstance(activities, list):
        return activities
    hidden = _hidden_packages(context, [a.get("object_id") for a in activities
                                        if isinstance(a, dict) and a.get("object_id")])
    return [a for a in activities if not (isinstance(a, dict) and a.get("object_id") in hidden)]


def _chained_activity_list(name):
    def action(up_func, context, data_dict):
        return _activities(up_func, context, data_dict)

    action.__name__ = name
    return tk.side_effect_free(tk.chained_action(action))


ACTIVITY_LISTS = ("user_activity_list", "recently_changed_packages_activity_list",
                  "dashboard_activity_list", "organization_activity_list",
                  "group_activity_list", "package_activity_list")


@tk.chained_action
@tk.side_effect_free
def harvest_source_list(up_func, context, data_dict):
    """ckanext-harvest lists every source, private ones included, to an
    anonymous caller (and none to a registered user outside its old
    "publisher" groups). Here everyone gets the sources they may read."""
    tk.check_access("harvest_source_list", context, data_dict)
    if _is_sysadmin(context):
        return up_func(context, data_dict)
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    sources = up_func(dict(context, user=site_user), data_dict)
    hidden = _hidden_packages(context, [s.get("id") for s in sources])
    return [s for s in sources if s.get("id") not in hidden]


def get_actions() -> dict:
    import ckan.plugins as p

    actions = {f.__name__: f for f in (tag_list, tag_autocomplete, tag_search,
                                       format_autocomplete, member_list)}
    if p.plugin_loaded("activity"):
        actions.update({name: _chained_activity_list(name) for name in ACTIVITY_LISTS})
    if p.plugin_loaded("harvest"):
        actions["harvest_source_list"] = harvest_source_list
    return actions
