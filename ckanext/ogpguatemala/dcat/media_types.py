"""Distributions' ``dcat:mediaType`` as IANA media-type IRIs.

euro_dcat_ap_3 writes a resource's ``mimetype`` (``text/csv``) as a literal;
DCAT-AP 3 wants an IRI of the IANA registry
(``http://www.iana.org/assignments/media-types/text/csv``) typed
``dct:MediaType``. A value that is not a registered IANA type (``x-`` types,
guesses of a browser, free text) is left out: ``dct:format`` still names the
format. Parsing turns the IRI back into the plain type CKAN stores.
"""
from __future__ import annotations

from rdflib import Literal, URIRef

from ckanext.dcat.profiles import DCAT, DCT, RDF, RDFProfile

IANA = "http://www.iana.org/assignments/media-types/"

# The IANA-registered media type of each file format the portal publishes
# (CKAN format -> type of https://www.iana.org/assignments/media-types).
BY_FORMAT = {
    "CSV": "text/csv",
    "TSV": "text/tab-separated-values",
    "TXT": "text/plain",
    "HTML": "text/html",
    "JSON": "application/json",
    "GEOJSON": "application/geo+json",
    "JSONLD": "application/ld+json",
    "XML": "application/xml",
    "RDF": "application/rdf+xml",
    "TTL": "text/turtle",
    "PDF": "application/pdf",
    "ZIP": "application/zip",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "XLS": "application/vnd.ms-excel",
    "ODS": "application/vnd.oasis.opendocument.spreadsheet",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "DOC": "application/msword",
    "ODT": "application/vnd.oasis.opendocument.text",
    "KML": "application/vnd.google-earth.kml+xml",
    "KMZ": "application/vnd.google-earth.kmz",
    "GPKG": "application/geopackage+sqlite3",
    "PARQUET": "application/vnd.apache.parquet",
    "PNG": "image/png",
    "JPEG": "image/jpeg",
}
# Registered types that CKAN or a browser may store as a resource's mimetype
# besides those above.
REGISTERED = set(BY_FORMAT.values()) | {"text/xml", "image/tiff", "image/svg+xml",
                                        "application/gzip", "text/markdown"}


def registered(value) -> str | None:
    """The IANA type named by ``value`` (``text/csv``, its IANA IRI, or a
    CKAN format such as ``CSV``), or None when it is not a registered one."""
    text = str(value or "").strip()
    if text.startswith(IANA):
        text = text[len(IANA):]
    text = text.split(";")[0].strip().lower()
    if text in REGISTERED:
        return text
    return BY_FORMAT.get(text.upper().lstrip("."))


class MediaTypeProfile(RDFProfile):
    """Writes and reads ``dcat:mediaType`` as IANA IRIs (a mixin of the
    portal's profile, applied after euro_dcat_ap_3 has written the graph)."""

    def _graph_media_type(self, distribution):
        g = self.g
        values = list(g.objects(distribution, DCAT.mediaType))
        for value in values:
            g.remove((distribution, DCAT.mediaType, value))
        if not values:  # euro_dcat_ap_3 wrote none: the format may name one
            values = [v for v in g.objects(distribution, DCT["format"]) if isinstance(v, Literal)]
        for value in values:
            media_type = registered(value)
            if media_type:
                ref = URIRef(IANA + media_type)
                g.add((distribution, DCAT.mediaType, ref))
                g.add((ref, RDF.type, DCT.MediaType))
                break

    @staticmethod
    def _parse_media_types(dataset_dict):
        """``text/csv`` where ckanext-dcat's parser kept the IANA IRI."""
        for resource in dataset_dict.get("resources", []):
            for key in ("mimetype", "format"):
                value = resource.get(key) or ""
                if value.startswith(IANA):
                    resource[key] = value[len(IANA):]
