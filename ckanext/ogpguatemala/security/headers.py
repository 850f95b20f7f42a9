"""Security headers on every response of the portal.

- ``X-Content-Type-Options: nosniff``: a browser never runs an uploaded
  file it was told is text or CSV as script or HTML.
- ``Referrer-Policy: strict-origin-when-cross-origin``: links to other sites
  do not carry the portal's paths and query strings (searches, private
  dataset names seen by their editors).
- ``X-Frame-Options: SAMEORIGIN`` and CSP ``frame-ancestors 'self'``: no other
  site can frame the portal's pages (clickjacking of its forms). The one
  exception is a resource view's own URL (``…/resource/<id>/view/<view_id>``),
  which CKAN offers as embed code for other sites; it holds no form.

A header the response already has (set by a view or by a proxy-aware
extension) is left as it is.
"""
from __future__ import annotations

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
FRAME_HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
}


def _embeddable() -> bool:
    """A resource view's page, the URL CKAN gives out as embed code."""
    from flask import request

    endpoint = request.endpoint or ""
    return endpoint.endswith("resource.view") and bool((request.view_args or {}).get("view_id"))


def add(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if not _embeddable():
        for name, value in FRAME_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


def install(app):
    """Register the headers on CKAN's Flask application (IMiddleware)."""
    app.after_request(add)
    return app
