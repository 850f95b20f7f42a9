"""The link from every dataset to the milestones it fulfils.

Datasets store ``ogp_milestones`` (one or more milestone codes, e.g.
``PAN6-C3-H1``). ``ogp_commitments``, ``ogp_plans`` and ``ogp_institutions``
are derived from it by the registry and never typed by hand. All four are
kept as JSON lists (ckanext-scheming's way of storing several values) and
shown to API clients as lists.
"""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.messages import translate
from ckanext.ogpguatemala.registry import get_registry
from ckanext.ogpguatemala.text import split_values

# The decorator that makes scheming hand the field definition to a validator.
from ckanext.scheming.validation import scheming_validator

LINK_FIELD = "ogp_milestones"
DERIVED_FIELDS = ("ogp_commitments", "ogp_plans", "ogp_institutions")

def parse_codes(value, upper: bool = True) -> list[str]:
    """Codes from whatever a form or API client sent: a list, a JSON list,
    or a string separated by commas, semicolons or spaces. Registry codes
    are upper case; ``upper=False`` keeps values (institution slugs) as they are."""
    return [] if value is tk.missing else split_values(value, upper=upper)

def in_registry_order(codes) -> list[str]:
    """Known milestone codes sorted as the plans list them, unknown ones last."""
    order = {code: i for i, code in enumerate(get_registry().milestones)}
    return sorted(codes, key=lambda c: order.get(c, len(order)))

def derive(milestone_codes) -> dict[str, list[str]]:
    """Commitments, plans and responsible institutions of valid milestones,
    in registry order."""
    reg = get_registry()
    commitments, plans, institutions = [], [], []
    for code in in_registry_order(milestone_codes):
        m = reg.milestones.get(code)
        if not m:
            continue
        for bucket, value in ((commitments, m.commitment_code), (plans, m.plan_code)):
            if value not in bucket:
                bucket.append(value)
        for slug in reg.milestone_institutions(m):
            if slug not in institutions:
                institutions.append(slug)
    return {
        "ogp_commitments": commitments,
        "ogp_plans": plans,
        "ogp_institutions": institutions,
    }

def _example_codes(reg, n=2) -> str:
    return ", ".join(list(reg.milestones)[:n])

def problem_with(code: str) -> str | None:
    """Why ``code`` cannot be chosen as a milestone, in the current language
    (through :func:`translate`: also called from the command line), or None."""
    reg = get_registry()
    kind = reg.kind_of(code)
    if kind == "milestone":
        return None
    if kind == "commitment" and reg.commitments[code].milestones:
        return translate("'%(code)s' is a commitment, not a milestone: choose one of its milestones (%(milestones)s)",
                         code=code, milestones=", ".join(m.code for m in reg.commitments[code].milestones))
    if kind == "commitment":
        problem = translate("'%(code)s' is a commitment of %(plan)s, which has no milestones in the registry",
                            code=code, plan=reg.commitments[code].plan_code)
    elif kind == "plan":
        problem = translate("'%(code)s' is a plan, not a milestone", code=code)
    else:
        problem = translate("'%(code)s' is not a known milestone", code=code)
    hint = translate("Choose milestones from the plan registry (codes such as %(examples)s; full list at /compromisos or through the ogp_plan_list action)",
                     examples=_example_codes(reg))
    return "%s. %s" % (problem, hint)

@scheming_validator
def ogp_milestones(field, schema):
    """Validator for the link field: required (unless the schema says
    ``required: false``), every code a known milestone; stores a JSON list."""
    required = field.get("required", True)

    def validator(key, data, errors, context):
        codes = parse_codes(data.get(key))
        if not codes:
            if required:
                errors[key].append(
                    tk._("Give at least one action-plan milestone this dataset fulfils (codes such as %(examples)s)")
                    % {"examples": _example_codes(get_registry())})
            data[key] = json.dumps([])
            return
        for code in codes:
            msg = problem_with(code)
            if msg:
                errors[key].append(msg)
        data[key] = json.dumps(in_registry_order(codes))

    return validator

@scheming_validator
def ogp_derived(field, schema):
    """Validator for ogp_commitments / ogp_plans / ogp_institutions: ignores
    what was sent and stores what the milestones imply."""
    name = field["field_name"]
    if name not in DERIVED_FIELDS:
        raise ValueError("ogp_derived cannot fill field %r" % name)

    def validator(key, data, errors, context):
        link_key = key[:-1] + (LINK_FIELD,)
        codes = parse_codes(data.get(link_key))
        data[key] = json.dumps(derive(codes)[name])

    return validator

def ogp_codes_output(value):
    """Output validator: the stored JSON list as a Python list."""
    return parse_codes(value, upper=False) if value not in (None, tk.missing, "") else []

def dataset_links(pkg_dict: dict) -> list[dict]:
    """The commitments a dataset fulfils, each with the chosen milestones,
    in registry order — what the dataset page and DCAT show."""
    reg = get_registry()
    chosen = [c for c in in_registry_order(parse_codes(pkg_dict.get(LINK_FIELD)))
              if c in reg.milestones]
    out = []
    for code in chosen:
        m = reg.milestones[code]
        if not out or out[-1]["commitment"].code != m.commitment_code:
            out.append({
                "plan": reg.plans[m.plan_code],
                "commitment": reg.commitments[m.commitment_code],
                "milestones": [],
            })
        out[-1]["milestones"].append(m)
    return out

def validators() -> dict:
    return {
        "ogp_milestones": ogp_milestones,
        "ogp_derived": ogp_derived,
        "ogp_codes_output": ogp_codes_output,
    }

