"""RDF of the plan registry at ``/compromisos/<code>``: chosen by the URL's
extension (``.ttl``, ``.rdf``, ``.xml``, ``.jsonld``, ``.n3``) or by the
Accept header, with ckanext-dcat's own format table and negotiation (the
same as its ``/dataset/<id>`` and ``/catalog`` endpoints)."""
from __future__ import annotations

from flask import Response

import ckan.plugins.toolkit as tk
from ckanext.dcat.utils import CONTENT_TYPES, check_access_header, url_to_rdflib_format

from ckanext.ogpguatemala.dcat.registry_graph import graph_for


def requested_format(ext: str) -> str | None:
    """The RDF format a request asks for: the extension when the URL has one
    (lower case, maybe unknown), else what the Accept header prefers over
    HTML; None for HTML."""
    return ext.lower() if ext else check_access_header()


def rdf_response(code: str, ext: str):
    """The plan, commitment or milestone ``code`` in the RDF format of
    ``ext``; 404 for an unknown format or code."""
    graph = graph_for(code) if ext in CONTENT_TYPES else None
    if graph is None:
        return tk.abort(404, tk._("Commitment not found"))
    return Response(graph.serialize(format=url_to_rdflib_format(ext)),
                    content_type=CONTENT_TYPES[ext] + "; charset=utf-8")
