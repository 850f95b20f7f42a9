"""The benchmark's fair baseline: for each of this extension's dataset types,
a plain ckanext-scheming schema with the same fields -- same names, labels,
required flags and choices -- built only from scheming's stock presets and
CKAN's own validators, so a CKAN that loads it runs none of this
extension's code.

    python bench/baseline.py CKAN_INI OUT_DIR

CKAN_INI is a config that loads this extension (its schemas are read as
scheming expands them); one YAML per type is written to OUT_DIR. A field
maps to:
  - its own preset when that is one of scheming's (title, dataset_slug,
    markdown, select, multiple_select, tag_string_autocomplete, ...);
  - ``select`` / ``multiple_select`` with the choices written out when the
    extension fills its choices (codelists, places, plans' milestones);
  - ``date`` for dates, CKAN's ``int_validator`` for whole numbers;
  - otherwise a text field (``ignore_missing unicode_safe``, or
    ``scheming_required unicode_safe`` when required).
"""
import json
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

STOCK_PRESETS = None  # names of ckanext-scheming's own presets (loaded once)


def stock_presets():
    global STOCK_PRESETS
    if STOCK_PRESETS is None:
        import ckanext.scheming

        path = os.path.join(os.path.dirname(ckanext.scheming.__file__), "presets.json")
        with open(path) as f:
            STOCK_PRESETS = {p["preset_name"] for p in json.load(f)["presets"]}
    return STOCK_PRESETS


def _choices(field, schema):
    """The field's choices as a static list ([] if it has none)."""
    from ckan.plugins import toolkit as tk

    if field.get("choices"):
        return [{"value": c["value"], "label": c.get("label", c["value"])} for c in field["choices"]]
    helper = field.get("choices_helper")
    if helper:
        try:
            return [{"value": c["value"], "label": c.get("label", c["value"])}
                    for c in getattr(tk.h, helper)(field)]
        except Exception:  # a helper that needs a request or the database: no static list
            return []
    return []


def _milestone_choices():
    from ckanext.ogpguatemala.registry import get_registry

    return [{"value": code, "label": code} for code in sorted(get_registry().milestones)]


def _multiple(field):
    snippets = (field.get("form_snippet") or "", field.get("display_snippet") or "")
    validators = field.get("validators", "") + " " + field.get("output_validators", "")
    return "multiple" in " ".join(snippets) or "multiple_choice" in validators


def plain_field(field, schema):
    out = {"field_name": field["field_name"], "label": field.get("label", field["field_name"])}
    if field.get("required"):
        out["required"] = True
    preset = field.get("preset")
    name = field["field_name"]
    validators = field.get("validators", "")
    if preset in stock_presets():
        out["preset"] = preset
        if preset in ("select", "multiple_select", "radio", "multiple_checkbox"):
            out["choices"] = _choices(field, schema)
        return out
    if name == "notes":
        out["preset"] = "markdown"
        return out
    if name == "license_id":
        out["form_snippet"] = "license.html"
        return out
    choices = _milestone_choices() if name == "ogp_milestones" else _choices(field, schema)
    if choices:
        out["preset"] = "multiple_select" if (_multiple(field) or name == "ogp_milestones") else "select"
        out["choices"] = choices
    elif field.get("form_snippet") == "date.html":
        out["preset"] = "date"
    elif "integer" in validators or "int_validator" in field.get("output_validators", ""):
        out["validators"] = ("scheming_required " if field.get("required") else "ignore_missing ") \
            + "int_validator"
    else:
        out["validators"] = ("scheming_required " if field.get("required") else "ignore_missing ") \
            + "unicode_safe"
    return out


def plain_schema(schema):
    return {
        "scheming_version": 2,
        "dataset_type": schema["dataset_type"],
        "about": "Plain baseline of %s (bench/baseline.py)" % schema["dataset_type"],
        "about_url": "https://github.com/ckan/ckanext-scheming",
        "dataset_fields": [plain_field(f, schema) for f in schema["dataset_fields"]],
        "resource_fields": [plain_field(f, schema) for f in schema["resource_fields"]],
    }


def main(ini, out_dir):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app
    from ckanext.scheming.helpers import scheming_dataset_schemas

    os.makedirs(out_dir, exist_ok=True)
    written = []
    with flask_app.test_request_context():
        for dataset_type, schema in sorted(scheming_dataset_schemas().items()):
            path = os.path.join(out_dir, dataset_type.replace("-", "_") + ".yaml")
            with open(path, "w") as f:
                yaml.safe_dump(plain_schema(schema), f, allow_unicode=True, sort_keys=False)
            written.append(path)
    print(" ".join(written))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
