"""Answers built from the whole public catalogue, kept in Redis until the
catalogue changes.

Some answers read every public dataset, or a page of a hundred of them: the
DCAT catalogue pages harvesters fetch again and again (``/catalog.ttl``,
``/catalog.xml`` …, ``/dcat.json``) and the OC4IDS project package. They are
kept in Redis (shared by every web worker, on every host) under a key made of

- what is asked (the page's path and query string, its ``Accept`` header),
- the **state of the public catalogue**: how many public datasets Solr holds
  and the latest ``metadata_modified`` among them, read with one search of
  no rows. Any create, edit, deletion, purge or change of visibility of a
  public dataset changes one of the two, so the next request builds the
  answer again;
- a counter in Redis that every dataset write and organization edit moves
  on (``changed()``, from the plugin's hooks): it covers what count and date
  cannot tell apart, such as two writes committed in the reverse order of
  their timestamps;
- the settings that shape the answer (``ckan.site_*``, ``ckanext.dcat.*``,
  ``ckanext.ogpguatemala.*``).

What that key cannot see -- a change written to the database by other
means than CKAN's actions -- shows when the entry expires
(``CACHE_SECONDS``). Only anonymous requests are answered from, or stored
in, the cache, so nothing a signed-in user may see reaches it. If Redis or
Solr does not answer, the answer is built as if there were no cache.
"""
from __future__ import annotations

import hashlib
import json
import logging

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

# How long an entry may be served at most (seconds).
CACHE_SECONDS = 600
PREFIX = "ogpguatemala:catalogue:"
GENERATION = PREFIX + "generation"
# The DCAT catalogue views of ckanext-dcat (the feeds harvesters read).
FEED_ENDPOINTS = ("dcat.read_catalog", "dcat_json_interface.dcat_json")
SETTINGS = ("ckan.site_", "ckan.locale", "ckanext.dcat.", "ckanext.ogpguatemala.")


def public_state(fq: str = "") -> tuple[int, str]:
    """(how many public, active datasets match ``fq``, the latest
    ``metadata_modified`` among them): one search, no rows."""
    result = tk.get_action("package_search")(
        {"user": "", "ignore_auth": True},
        {"q": "*:*", "fq": fq, "rows": 1, "sort": "metadata_modified desc",
         "fl": ["metadata_modified"], "include_private": False, "include_drafts": False},
    )
    latest = result["results"][0]["metadata_modified"] if result["results"] else ""
    return result["count"], latest


def changed() -> None:
    """Something the cached answers show has changed: move the counter on."""
    try:
        _redis().incr(GENERATION)
    except Exception as error:
        log.warning("catalogue cache: Redis did not answer (%s)", error)


def _generation() -> bytes:
    return _redis().get(GENERATION) or b"0"


def _settings() -> str:
    return json.dumps(sorted((k, str(v)) for k, v in tk.config.items()
                             if k.startswith(SETTINGS)))


def key(kind: str, *parts, fq: str = "") -> str | None:
    """The Redis key of an answer of ``kind`` for ``parts`` in the
    catalogue's current state (None when no public dataset matches: an
    empty answer is cheap and not kept)."""
    count, latest = public_state(fq)
    if not count:
        return None
    try:
        generation = _generation().decode("ascii")
    except Exception as error:  # Redis away: nothing is kept or served
        log.warning("catalogue cache: Redis did not answer (%s)", error)
        return None
    text = json.dumps([kind, [str(p) for p in parts], fq, count, latest, generation,
                       _settings()])
    return PREFIX + kind + ":" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _redis():
    from ckan.lib.redis import connect_to_redis

    return connect_to_redis()


def get(cache_key: str | None) -> bytes | None:
    if cache_key is None:
        return None
    try:
        return _redis().get(cache_key)
    except Exception as error:  # Redis away: build the answer instead
        log.warning("catalogue cache: Redis did not answer (%s)", error)
        return None


def put(cache_key: str | None, value: bytes) -> None:
    if cache_key is None:
        return
    try:
        _redis().setex(cache_key, CACHE_SECONDS, value)
    except Exception as error:
        log.warning("catalogue cache: Redis did not answer (%s)", error)


# The DCAT catalogue feeds, kept whole (IMiddleware).

def _feed_key() -> str | None:
    from flask import request

    if request.method != "GET" or request.endpoint not in FEED_ENDPOINTS:
        return None
    if not tk.current_user.is_anonymous:
        return None
    if request.endpoint == "dcat.read_catalog" and not (request.view_args or {}).get("_format"):
        # "/" with content negotiation: the home page unless RDF is asked for
        from ckanext.dcat.utils import check_access_header

        if not check_access_header():
            return None
    from ckanext.ogpguatemala.search_outage import SEARCH_ERRORS

    try:
        return key("feed", request.full_path, request.headers.get("Accept", ""),
                   request.environ.get("CKAN_LANG", ""))
    except SEARCH_ERRORS:
        return None  # Solr away: the view answers with its 503


def _serve_feed():
    from flask import Response, g

    cache_key = _feed_key()
    g.ogp_feed_key = cache_key
    cached = get(cache_key)
    if cached is None:
        return None
    content_type, _, body = cached.partition(b"\n")
    response = Response(body, content_type=content_type.decode("utf-8"))
    response.headers["X-Cache"] = "HIT"
    return response


def _keep_feed(response):
    from flask import g

    cache_key = g.pop("ogp_feed_key", None)
    if cache_key is None or "X-Cache" in response.headers:
        return response
    if (response.status_code == 200 and not response.direct_passthrough
            and response.mimetype != "text/html"):  # never a page with a form token
        put(cache_key, response.content_type.encode("utf-8") + b"\n" + response.get_data())
        response.headers["X-Cache"] = "MISS"
    return response


def install(app):
    """Serve the DCAT catalogue pages from the cache (IMiddleware)."""
    app.before_request(_serve_feed)
    app.after_request(_keep_feed)
    return app
