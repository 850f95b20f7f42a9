"""One demo editor per institution: user ``editor-<organization>``, member of
that organization with the editor role (may publish in it, not elsewhere).

Passwords are generated once and kept in a JSON file readable only by its
owner (mode 600; ``.run/demo-users.json`` for ``make run``, never in the
repository). A later run reuses them: it creates what is missing, gives a
user back the saved password if the database has another one, and changes
nothing otherwise.
"""
from __future__ import annotations

import json
import os
import secrets

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.logic.context import active_organization, site_context
from ckanext.ogpguatemala.registry import get_registry

ROLE = "editor"
FILENAME = "demo-users.json"


def user_name(organization: str) -> str:
    return "editor-%s" % organization


def _saved(path: str) -> dict[str, str]:
    try:
        with open(path, encoding="utf-8") as f:
            return {u["name"]: u["password"] for u in json.load(f).get("users", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write(path: str, users: list[dict], url: str) -> None:
    text = json.dumps({
        "note": "Demo editors, one per institution: passwords of a local demo portal. "
                "Do not reuse them; do not commit this file.",
        "url": url, "users": users}, ensure_ascii=False, indent=2) + "\n"
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, 0o600)  # also when the file existed with wider rights


def _is_editor(user, org) -> bool:
    return model.Session.query(model.Member).filter_by(
        table_name="user", table_id=user.id, group_id=org.id, state="active",
        capacity=ROLE).first() is not None


def ensure(path: str) -> dict:
    """Create or repair the editors; returns {"created", "updated",
    "unchanged", "path"}."""
    reg = get_registry()
    context = site_context()
    saved = _saved(path)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "path": path}
    users = []
    for slug, inst in reg.institutions.items():
        org = active_organization(slug)
        if org is None:
            continue
        name = user_name(slug)
        password = saved.get(name) or secrets.token_urlsafe(12)
        user = model.User.get(name)
        outcome = "unchanged"
        if user is None:
            tk.get_action("user_create")(dict(context), {
                "name": name, "email": "%s@example.org" % name, "password": password,
                "fullname": "Editor de demostración — %s" % inst.acronym})
            user, outcome = model.User.get(name), "created"
        elif name not in saved or not user.validate_password(password):
            tk.get_action("user_patch")(dict(context), {"id": user.id, "password": password})
            outcome = "updated"
        if not _is_editor(user, org):
            tk.get_action("organization_member_create")(dict(context), {
                "id": org.id, "username": name, "role": ROLE})
            outcome = "updated" if outcome == "unchanged" else outcome
        counts[outcome] += 1
        users.append({"name": name, "password": password, "organization": slug,
                      "role": ROLE, "email": user.email})
    site = (tk.config.get("ckan.site_url") or "").rstrip("/")
    if _saved(path) != {u["name"]: u["password"] for u in users}:
        _write(path, users, site + "/user/login")
    else:
        os.chmod(path, 0o600)
    return counts
