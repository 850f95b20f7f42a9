"""The action-plan registry: plans, commitments, milestones, institutions.

The registry is data, kept in YAML files (``pan5.yaml``, ``pan6.yaml``,
``institutions.yaml`` beside this module). Each file is checked against
``registry.schema.json`` and then against rules a JSON Schema cannot say
(codes that agree with their numbers, unique codes, known institutions,
dates in order). A file that breaks a rule stops start-up with a
``RegistryError`` naming the file and the entry.

A deployment adds a future plan by listing its own files in
``ckanext.ogpguatemala.registry_files``; no code changes.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Iterable

import jsonschema
import yaml

from ckanext.ogpguatemala.messages import N_, Msg, render

HERE = os.path.dirname(os.path.abspath(__file__))
BUILTIN_FILES = tuple(
    os.path.join(HERE, name)
    for name in ("institutions.yaml", "pan5.yaml", "pan6.yaml")
)

with open(os.path.join(HERE, "registry.schema.json"), encoding="utf-8") as _f:
    _SCHEMA = json.load(_f)
_VALIDATOR = jsonschema.Draft7Validator(_SCHEMA)


class RegistryError(Exception):
    """A registry file is malformed. ``path`` is the file; ``msg`` says which
    entry and what is wrong (a :class:`Msg`, or jsonschema's own English text),
    rendered in the current language by ``str()``."""

    def __init__(self, path: str, msg):
        super().__init__(path, msg)
        self.path = path
        self.msg = msg

    def __str__(self) -> str:
        return "%s: %s" % (self.path, render(self.msg))


def text(value: dict | None, lang: str = "es") -> str:
    """The ``lang`` version of a bilingual text, falling back to Spanish."""
    if not value:
        return ""
    return value.get(lang) or value.get("es") or ""


@dataclass(frozen=True)
class Institution:
    slug: str
    acronym: str
    name: dict

    def as_dict(self) -> dict:
        return {"slug": self.slug, "acronym": self.acronym, "name": dict(self.name)}


@dataclass(frozen=True)
class Milestone:
    code: str
    number: int
    text: dict
    expected_results: dict
    institutions: tuple
    start: str
    end: str
    extended_end: str | None
    commitment_code: str
    plan_code: str

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "number": self.number,
            "text": dict(self.text),
            "expected_results": dict(self.expected_results),
            "institutions": list(self.institutions),
            "start": self.start,
            "end": self.end,
            "extended_end": self.extended_end,
            "commitment": self.commitment_code,
            "plan": self.plan_code,
        }


@dataclass(frozen=True)
class Commitment:
    code: str
    number: int
    title: dict
    description: dict
    note: dict
    institutions: tuple
    civil_society: tuple
    other_actors: tuple
    start: str | None
    end: str | None
    extended_end: str | None
    plan_code: str
    milestones: tuple = field(default=())

    def as_dict(self, with_milestones: bool = True) -> dict:
        out = {
            "code": self.code,
            "number": self.number,
            "title": dict(self.title),
            "description": dict(self.description),
            "institutions": list(self.institutions),
            "civil_society": list(self.civil_society),
            "other_actors": list(self.other_actors),
            "start": self.start,
            "end": self.end,
            "extended_end": self.extended_end,
            "plan": self.plan_code,
        }
        if self.note:
            out["note"] = dict(self.note)
        if with_milestones:
            out["milestones"] = [m.as_dict() for m in self.milestones]
        return out


@dataclass(frozen=True)
class Plan:
    code: str
    number: int
    title: dict
    start: str | None
    end: str | None
    commitments: tuple = field(default=())

    @property
    def milestones(self) -> list[Milestone]:
        return [m for c in self.commitments for m in c.milestones]

    def as_dict(self, with_commitments: bool = True) -> dict:
        out = {
            "code": self.code,
            "number": self.number,
            "title": dict(self.title),
            "start": self.start,
            "end": self.end,
        }
        if with_commitments:
            out["commitments"] = [c.as_dict(with_milestones=False) for c in self.commitments]
        return out


class Registry:
    """Every plan, commitment, milestone and institution, by code."""

    def __init__(self, plans: Iterable[Plan], institutions: Iterable[Institution], files=()):
        self.plans = {p.code: p for p in sorted(plans, key=lambda p: -p.number)}
        self.institutions = {i.slug: i for i in institutions}
        self.commitments = {c.code: c for p in self.plans.values() for c in p.commitments}
        self.milestones = {m.code: m for c in self.commitments.values() for m in c.milestones}
        self.files = tuple(files)

    def kind_of(self, code: str) -> str | None:
        """'plan', 'commitment', 'milestone' or None for an unknown code."""
        if code in self.milestones:
            return "milestone"
        if code in self.commitments:
            return "commitment"
        if code in self.plans:
            return "plan"
        return None

    def milestone_institutions(self, milestone: Milestone) -> tuple:
        """Who answers for a milestone: its own institutions, else its commitment's."""
        if milestone.institutions:
            return milestone.institutions
        return self.commitments[milestone.commitment_code].institutions

    def institution_label(self, slug: str) -> str:
        inst = self.institutions.get(slug)
        return inst.acronym if inst else slug


# ---------------------------------------------------------------- loading
def _read(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except OSError as e:
        raise RegistryError(path, Msg(N_("cannot read registry file (%(reason)s)"), {"reason": e.strerror}))
    except yaml.YAMLError as e:
        raise RegistryError(path, Msg(N_("not valid YAML (%(error)s)"), {"error": str(e)}))
    if data is None:
        data = {}
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        loc = _entry_name(data, list(err.absolute_path))
        raise RegistryError(path, "%s: %s" % (loc, err.message))
    return data


def _entry_name(data, path) -> str:
    """'plans[0] (PAN6) > commitments[2] (PAN6-C3) > start' for an error path."""
    parts, node = [], data
    for key in path:
        if isinstance(key, int) and isinstance(node, list):
            node = node[key] if key < len(node) else None
            code = node.get("code") or node.get("slug") if isinstance(node, dict) else None
            parts[-1] += "[%d]%s" % (key, " (%s)" % code if code else "")
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return " > ".join(parts) or "(top level)"


def _check_order(path, code, start, end, extended_end=None):
    if start and end and end < start:
        raise RegistryError(path, Msg(N_("%(code)s: end %(end)s is before start %(start)s"),
                                      {"code": code, "end": end, "start": start}))
    if extended_end and end and extended_end < end:
        raise RegistryError(path, Msg(N_("%(code)s: extended_end %(extended_end)s is before end %(end)s"),
                                      {"code": code, "extended_end": extended_end, "end": end}))


def load(paths: Iterable[str]) -> Registry:
    """Load and check registry files; raises RegistryError on the first fault."""
    paths = list(paths)
    institutions: dict[str, Institution] = {}
    plans: list[Plan] = []
    seen: dict[str, str] = {}
    pending_refs = []  # (path, code, slug): checked once every file is read

    def claim(path, code):
        if code in seen:
            raise RegistryError(path, Msg(N_("%(code)s is defined twice (also in %(other)s)"),
                                          {"code": code, "other": seen[code]}))
        seen[code] = path

    for path in paths:
        data = _read(path)
        for raw in data.get("institutions", []):
            if raw["slug"] in institutions:
                raise RegistryError(path, Msg(N_("institution %(slug)s is defined twice"),
                                              {"slug": raw["slug"]}))
            institutions[raw["slug"]] = Institution(raw["slug"], raw["acronym"], raw["name"])
        for rp in data.get("plans", []):
            pcode = rp["code"]
            claim(path, pcode)
            _check_order(path, pcode, rp.get("start"), rp.get("end"))
            commitments = []
            for rc in rp["commitments"]:
                ccode = rc["code"]
                if ccode != "%s-C%d" % (pcode, rc["number"]):
                    raise RegistryError(path, Msg(
                        N_("commitment %(code)s: code does not match plan %(plan)s and number %(number)s"),
                        {"code": ccode, "plan": pcode, "number": rc["number"]}))
                claim(path, ccode)
                _check_order(path, ccode, rc.get("start"), rc.get("end"), rc.get("extended_end"))
                milestones = []
                for rm in rc["milestones"]:
                    mcode = rm["code"]
                    if mcode != "%s-H%d" % (ccode, rm["number"]):
                        raise RegistryError(path, Msg(
                            N_("milestone %(code)s: code does not match commitment %(commitment)s and number %(number)s"),
                            {"code": mcode, "commitment": ccode, "number": rm["number"]}))
                    claim(path, mcode)
                    _check_order(path, mcode, rm["start"], rm["end"], rm.get("extended_end"))
                    for slug in rm.get("institutions", []):
                        pending_refs.append((path, mcode, slug))
                    milestones.append(Milestone(
                        code=mcode, number=rm["number"], text=rm["text"],
                        expected_results=rm.get("expected_results") or {"es": "", "en": ""},
                        institutions=tuple(rm.get("institutions", [])),
                        start=rm["start"], end=rm["end"], extended_end=rm.get("extended_end"),
                        commitment_code=ccode, plan_code=pcode,
                    ))
                for slug in rc.get("institutions", []):
                    pending_refs.append((path, ccode, slug))
                commitments.append(Commitment(
                    code=ccode, number=rc["number"], title=rc["title"],
                    description=rc.get("description") or {"es": "", "en": ""},
                    note=rc.get("note") or {},
                    institutions=tuple(rc.get("institutions", [])),
                    civil_society=tuple(rc.get("civil_society", [])),
                    other_actors=tuple(rc.get("other_actors", [])),
                    start=rc.get("start"), end=rc.get("end"),
                    extended_end=rc.get("extended_end"),
                    plan_code=pcode,
                    milestones=tuple(sorted(milestones, key=lambda m: m.number)),
                ))
            plans.append(Plan(
                code=pcode, number=rp["number"], title=rp["title"],
                start=rp.get("start"), end=rp.get("end"),
                commitments=tuple(sorted(commitments, key=lambda c: c.number)),
            ))
    for path, code, slug in pending_refs:
        if slug not in institutions:
            raise RegistryError(path, Msg(
                N_("%(code)s names institution '%(slug)s', which no registry file defines"),
                {"code": code, "slug": slug}))
    return Registry(plans, institutions.values(), paths)


# ------------------------------------------------------- the live registry
_current: Registry | None = None


def configure(extra_files: Iterable[str] = (), builtin: bool = True) -> Registry:
    """Load the registry for this process (called from the plugin's configure)."""
    global _current
    files = (list(BUILTIN_FILES) if builtin else []) + [f for f in extra_files if f]
    _current = load(files)
    return _current


def get_registry() -> Registry:
    """The registry in force; the built-in one until configure() is called."""
    global _current
    if _current is None:
        _current = load(BUILTIN_FILES)
    return _current
