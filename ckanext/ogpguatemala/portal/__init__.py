"""The portal people use: the home page built from the plan (home.py), the
guided publishing flow (forms.py) and readable dataset pages (display.py).

Each module exposes ``get_helpers()`` and ``get_blueprints()``; the plugin
merges them."""
from ckanext.ogpguatemala.portal import display, forms, home

_MODULES = (home, forms, display)


def get_helpers() -> dict:
    out: dict = {}
    for module in _MODULES:
        out.update(module.get_helpers())
    return out


def get_blueprints() -> list:
    return [bp for module in _MODULES for bp in module.get_blueprints()]
