"""When Solr is down: a clear 503, not a 500.

CKAN writes a dataset to PostgreSQL and indexes it in Solr in the same
transaction (the index is updated before the commit, and a failure aborts
it), so with Solr stopped a create or update changes nothing, but CKAN
answers it, and every search, with an "Internal Server Error": the API with
500 "Search Index Error" / "Search Connection Error", ``/dataset/`` with a
bare 500 page, and pages that search (home, commitments, observatory, the
DCAT catalogue) with CKAN's generic error page.

Here, when such an error happens and Solr does not answer a ping, the API
answers 503 with ``Retry-After`` and a message in the request's language
(for a write: that nothing was saved), and pages render CKAN's error page
with 503 and the same message. A dataset's own page, which needs no search
(its publisher box is helpers.ogp_organization_box), still shows. An index
error while Solr answers (a bad document) is left as CKAN reports it.

The runbook (README, "When Solr is down"): start Solr again, then
``ckan search-index rebuild`` if its index was lost.
"""
from __future__ import annotations

import json
import logging

import pysolr
from werkzeug import exceptions

import ckan.plugins.toolkit as tk
from ckan.lib import search

log = logging.getLogger(__name__)

RETRY_AFTER = "120"
# The error types CKAN's API gives a search or index failure.
API_READ_ERRORS = ("Search Connection Error", "Search Error")
API_WRITE_ERRORS = ("Search Index Error",)
SEARCH_ERRORS = (search.SolrConnectionError, search.SearchIndexError, search.SearchError,
                 pysolr.SolrError)


def solr_answers() -> bool:
    """Solr answers a ping within 3 seconds."""
    try:
        conn = search.make_connection()
        conn.timeout = 3
        conn.ping()
        return True
    except Exception as error:  # any failure to reach it counts as down
        log.warning("Solr does not answer: %s", error)
        return False


def read_message() -> str:
    return tk._("The search service is not available right now. Try again in a few minutes.")


def write_message() -> str:
    return tk._("The search service is not available right now, so nothing was saved. "
                "Try again in a few minutes.")


def _api_response(response):
    """A 500 of the API caused by Solr being down becomes a 503."""
    from flask import request

    if request.endpoint != "api.action" or response.status_code not in (409, 500):
        return response
    try:
        body = json.loads(response.get_data(as_text=True))
        kind = body["error"]["__type"]
    except (ValueError, KeyError, TypeError):
        return response
    if kind not in API_READ_ERRORS + API_WRITE_ERRORS or solr_answers():
        return response
    message = write_message() if kind in API_WRITE_ERRORS else read_message()
    body["error"] = {"__type": "Search Unavailable", "message": message}
    response.set_data(json.dumps(body))
    response.status_code = 503
    response.headers["Retry-After"] = RETRY_AFTER
    return response


def _unavailable_page(error):
    from flask import current_app, request

    write = request.method not in ("GET", "HEAD")
    log.error("Search unavailable: %s %s answered 503 (%r)", request.method, request.path, error,
              exc_info=error if isinstance(error, SEARCH_ERRORS) else None)
    response = current_app.make_response(current_app.handle_http_exception(
        exceptions.ServiceUnavailable(write_message() if write else read_message())))
    response.headers["Retry-After"] = RETRY_AFTER
    return response




def install(app):
    """Register the 503 answers on CKAN's Flask app (IMiddleware)."""
    ckan_500 = app.error_handler_spec.get(None, {}).get(500, {}).get(
        exceptions.InternalServerError)

    def search_failed(error):
        # reached from pages only: the API view catches these itself
        if solr_answers():
            raise error
        return _unavailable_page(error)

    def internal_error(error):
        # CKAN's dataset search aborts with a bare 500 when Solr is unreachable
        if not solr_answers():
            return _unavailable_page(error)
        if ckan_500 is None:
            raise error
        return ckan_500(error)

    for kind in SEARCH_ERRORS:
        app.register_error_handler(kind, search_failed)
    app.register_error_handler(exceptions.InternalServerError, internal_error)
    app.after_request(_api_response)
    return app
