"""(to be written)"""


def get_helpers() -> dict:
    return {}


def get_blueprints() -> list:
    return []
