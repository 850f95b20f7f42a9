"""Reading the bytes of a file to check or import: an uploaded resource's
stored file, an http(s) link (streamed, stopped past the size limit), or a
local path given on the command line."""
from __future__ import annotations

import contextlib
import os
import tempfile

import requests

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.messages import N_, Msg

CHUNK = 64 * 1024


class FetchError(Exception):
    """The file could not be read; ``message`` says why (a :class:`Msg`)."""

    def __init__(self, code: str, message: Msg):
        super().__init__(message.msgid % dict(message.params))
        self.code, self.message = code, message


def timeout() -> int:
    return tk.config.get("ckanext.ogpguatemala.check_timeout")


def _chunks(url: str, max_bytes: int):
    """The chunks of ``url``, streamed, stopping once more than
    ``max_bytes`` arrived (so a caller can tell the file is too large
    without downloading all of it)."""
    try:
        with requests.get(url, stream=True, timeout=timeout()) as r:
            r.raise_for_status()
            size = 0
            for chunk in r.iter_content(CHUNK):
                yield chunk
                size += len(chunk)
                if size > max_bytes:
                    return
    except requests.RequestException as e:
        raise FetchError("download-failed", Msg(
            N_("Could not download %(url)s (%(reason)s)"),
            {"url": url, "reason": e.__class__.__name__}))


def download(url: str, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of ``url``."""
    return b"".join(_chunks(url, max_bytes))[: max_bytes + 1]


def read_path(path: str, max_bytes: int) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(max_bytes + 1)
    except OSError as e:
        raise FetchError("file-not-readable", Msg(
            N_("Could not read %(path)s (%(reason)s)"), {"path": path, "reason": e.strerror}))


def read_source(source: str, max_bytes: int) -> bytes:
    """A URL or a local path (the CLI's and the import action's sources)."""
    if source.startswith(("http://", "https://")):
        return download(source, max_bytes)
    return read_path(source, max_bytes)


def upload_path(resource: dict) -> str | None:
    from ckan.lib import uploader

    upload = uploader.get_resource_uploader(dict(resource))
    get_path = getattr(upload, "get_path", None)
    return get_path(resource["id"]) if get_path else None


def file_name(resource: dict) -> str:
    url = resource.get("url") or ""
    return os.path.basename(url.split("?")[0]) or "archivo"


def fingerprint(resource: dict) -> str:
    """What identifies the file now: an upload's size and modification
    time, or a link's URL."""
    if resource.get("url_type") == "upload":
        path = upload_path(resource)
        if path and os.path.exists(path):
            st = os.stat(path)
            return "upload:%d:%d" % (st.st_size, int(st.st_mtime_ns))
        return "upload:missing"
    return "url:%s" % (resource.get("url") or "")


@contextlib.contextmanager
def local_file(resource: dict, max_bytes: int):
    """A path to the resource's file: an upload's stored file as it is, a
    link downloaded (streamed) to a temporary file, at most
    ``max_bytes + 1`` bytes of it so the checks can tell it is too large."""
    if resource.get("url_type") == "upload":
        path = upload_path(resource)
        if not path or not os.path.exists(path):
            raise FetchError("file-not-found", Msg(N_("The uploaded file was not found")))
        yield path
        return
    url = resource.get("url") or ""
    if not url.startswith(("http://", "https://")):
        raise FetchError("no-file", Msg(N_("The resource has neither a file nor an http(s) link")))
    suffix = os.path.splitext(file_name(resource))[1][:10]
    with tempfile.NamedTemporaryFile(prefix="ogp-check-", suffix=suffix) as tmp:
        for chunk in _chunks(url, max_bytes):
            tmp.write(chunk)
        tmp.flush()
        yield tmp.name
