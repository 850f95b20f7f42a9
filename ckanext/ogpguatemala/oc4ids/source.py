"""Where the OC4IDS files are read from: a directory, a file or a URL.

Pure Python (no CKAN imports). An empty location means the OC4IDS 0.9.5
release files shipped in this package (:data:`PACKAGED`).
"""
from __future__ import annotations

import os
import posixpath
from typing import Any
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from ckanext.ogpguatemala.messages import N_, Msg, render

__all__ = ["PACKAGED", "PROJECT_SCHEMA", "PACKAGE_SCHEMA", "SchemaLoadError", "resolve_location"]

STANDARD_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "standard")
# The OC4IDS 0.9.5 release files shipped with the extension (see SOURCE.md
# there): the location used when none is configured.
PACKAGED = os.path.join(STANDARD_DIR, "0.9.5")

PROJECT_SCHEMA = "project-schema.json"
PACKAGE_SCHEMA = "project-package-schema.json"
DEFAULT_TIMEOUT = 10.0


class SchemaLoadError(Exception):
    """The schemas could not be read from the configured location.

    ``message`` is a :class:`~ckanext.ogpguatemala.messages.Msg` (English
    id and its values); ``str()`` renders it in the current language."""

    def __init__(self, msgid: str, **params):
        self.message = Msg(msgid, {k: str(v) for k, v in params.items()})
        super().__init__(msgid % self.message.params if params else msgid)

    def __str__(self) -> str:
        return render(self.message)


class _Missing(SchemaLoadError):
    """A file that is not at the location (404 / no such file)."""


def resolve_location(value: Any) -> str:
    """The location to load: ``value`` (a path or URL), or the packaged
    copy (:data:`PACKAGED`) when ``value`` is empty."""
    text = "" if value is None else str(value).strip()
    return text or PACKAGED


# ---------------------------------------------------------------------------
# Reading files from a directory or a base URL


class Reader:
    """Reads sibling files of the configured location."""

    def __init__(self, base: str, is_url: bool, timeout: float):
        self.base = base  # directory path, or URL ending in "/"
        self.is_url = is_url
        self.timeout = timeout

    def where(self, relpath: str) -> str:
        if self.is_url:
            return self.base + relpath
        return os.path.join(self.base, *relpath.split("/"))

    def read_text(self, relpath: str) -> str:
        where = self.where(relpath)
        if not self.is_url:
            try:
                with open(where, "rb") as f:
                    raw = f.read()
            except FileNotFoundError as e:
                raise _Missing(N_("%(location)s: not found"), location=where) from e
            except OSError as e:
                raise SchemaLoadError(N_("%(location)s: %(error)s"), location=where, error=e) from e
            return raw.decode("utf-8-sig")

        import requests  # lazy: only needed for URL locations

        try:
            response = requests.get(where, timeout=self.timeout)
        except requests.RequestException as e:
            raise SchemaLoadError(N_("%(location)s: %(error)s"), location=where, error=e) from e
        if response.status_code == 404:
            raise _Missing(N_("%(location)s: HTTP %(status)s"), location=where, status=404)
        if response.status_code != 200:
            raise SchemaLoadError(N_("%(location)s: HTTP %(status)s"), location=where, status=response.status_code)
        return response.content.decode("utf-8-sig")

    def list_dir(self, reldir: str, suffix: str) -> list[str]:
        """Files in a sub-directory ending in ``suffix`` (local only)."""
        if self.is_url:
            return []
        path = self.where(reldir)
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return []
        return [f"{reldir}/{n}" for n in names if n.endswith(suffix)]


def split_location(location: str) -> tuple[str, bool, str]:
    """-> (base, is_url, project schema file name)."""
    location = resolve_location(location)
    parsed = urlparse(location)
    scheme = parsed.scheme.lower()

    if scheme in ("http", "https"):
        if parsed.path.endswith(".json"):
            cut = location.rfind("/", 0, len(location) - len(parsed.query or "") - 1)
            base, name = location[: cut + 1], posixpath.basename(parsed.path)
        else:
            base, name = location.rstrip("/") + "/", PROJECT_SCHEMA
        if name == PACKAGE_SCHEMA:
            name = PROJECT_SCHEMA
        return base, True, name

    if scheme == "file":
        location = url2pathname(unquote(parsed.path))

    path = os.path.abspath(os.path.expanduser(location))
    if os.path.isdir(path):
        return path, False, PROJECT_SCHEMA
    if os.path.isfile(path):
        name = os.path.basename(path)
        if name == PACKAGE_SCHEMA:
            name = PROJECT_SCHEMA
        return os.path.dirname(path), False, name
    raise SchemaLoadError(N_("OC4IDS schema location not found: %(location)s"), location=location)
