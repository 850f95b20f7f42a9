"""DCAT-AP 3 *recommended* properties that euro_dcat_ap_3 leaves out and for
which the portal holds a true value (a mixin of the portal's profile), and
the list of those it cannot fill honestly, with the reason.

Filled, and from what:

- catalogue ``dct:license``: ``ckanext.ogpguatemala.catalog_license``, else
  the licence the portal already states for the metadata it publishes
  (``ckanext.ogpguatemala.oc4ids_license``, CC BY 4.0 by default);
- catalogue ``dct:issued``: the day the oldest public dataset was created;
- distribution ``dct:description``: the resource's own description, else a
  Spanish and English sentence naming the resource, its format and dataset;
- infrastructure projects (OC4IDS) ``dcat:keyword``: the labels of their
  OC4IDS sectors and project type, and ``dct:temporal``: the project's
  period (``project_period_start``/``_end``);
- ``dcat:centroid`` and ``dcat:bbox`` of departments and of Guatemala, from
  the departments' outline shipped with the portal (places.py).

(The catalogue's ``dcat:themeTaxonomy`` and its publisher's ``dct:type``
are written in profiles.py beside the vocabularies they name.)
"""
from __future__ import annotations

from rdflib import BNode, Literal, URIRef

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCAT, DCATAP, DCT, RDF
from ckanext.dcat.utils import resource_uri

from ckanext.ogpguatemala.dcat import places, registry_graph
from ckanext.ogpguatemala.dcat.media_types import MediaTypeProfile
from ckanext.ogpguatemala.linking import parse_codes
from ckanext.ogpguatemala.text import fold

# Recommended properties of shapes_recommended.ttl (DCAT-AP 3.0.1) that the
# feeds leave out where the portal has no true value, by shape path. The
# live test (tests/test_dcat_live.py) fails on any other recommended warning.
RECOMMENDED_NOT_FILLED = {
    str(DCATAP.availability): (
        "Distribution availability (EU planned-availability: experimental, "
        "available, stable, temporary) is the publisher's promise of how long "
        "a file will stay available. No dataset type asks the institutions "
        "for it and the portal has no retention policy of its own, so no "
        "value would be true."),
    str(DCAT.bbox): (
        "Municipalities: the portal ships the INE list of municipalities "
        "(codes and names) but no outline or coordinates of them. Points of "
        "infrastructure projects: the project's location is a single point "
        "(its dcat:centroid); a bounding box of it would be a made-up extent."),
    str(DCAT.centroid): (
        "Municipalities: the portal ships no coordinates of municipalities "
        "(only the departments' outline), and a centroid must not be guessed."),
    str(DCAT.distribution): (
        "Dataset series: a series holds no files of its own; each release "
        "(a dcat:Dataset with dcat:inSeries) has its distributions. A dataset "
        "published without any file yet has none either."),
    str(DCAT.keyword): (
        "A dataset its publisher gave no keywords (an optional field; "
        "infrastructure projects get theirs from their OC4IDS sector and type)."),
    str(DCT.temporal): (
        "A dataset its publisher gave no temporal coverage (an optional field; "
        "infrastructure projects fall back on their project period, series on "
        "their releases')."),
    str(DCT.publisher): (
        "Dataset series named by a release on a catalogue page that does not "
        "list the series itself: there it is given by type, title and "
        "description only; its publisher is on the page that lists it and on "
        "its own /dataset/<name>.ttl."),
    str(DCAT.contactPoint): (
        "Dataset series named by a release on a catalogue page that does not "
        "list the series itself (as for dct:publisher): its contact point is "
        "on the page that lists it and on its own page."),
}

DESCRIPTION = {
    "es": "«%(name)s»: datos en formato %(format)s del conjunto de datos «%(title)s».",
    "en": "“%(name)s”: %(format)s data of the dataset “%(title)s”.",
}
DESCRIPTION_NO_FORMAT = {
    "es": "«%(name)s»: recurso del conjunto de datos «%(title)s».",
    "en": "“%(name)s”: resource of the dataset “%(title)s”.",
}
OC4IDS_KEYWORD_FIELDS = (("project_sector", "projectSector"), ("project_type", "projectType"))


def catalog_license() -> str | None:
    return (tk.config.get("ckanext.ogpguatemala.catalog_license", None)
            or tk.config.get("ckanext.ogpguatemala.oc4ids_license"))


def first_publication() -> str | None:
    """The day (YYYY-MM-DD) the oldest public, active dataset was created."""
    result = tk.get_action("package_search")({"ignore_auth": True}, {
        "sort": "metadata_created asc", "rows": 1, "fl": "metadata_created"})
    rows = result.get("results") or []
    return str(rows[0]["metadata_created"])[:10] if rows else None


def distribution_description(resource: dict, dataset_title: str) -> dict:
    """``{"es": ..., "en": ...}`` naming a resource without a description."""
    params = {"name": resource.get("name") or resource.get("url", "").rsplit("/", 1)[-1],
              "format": (resource.get("format") or "").strip(), "title": dataset_title}
    texts = DESCRIPTION if params["format"] else DESCRIPTION_NO_FORMAT
    return {lang: text % params for lang, text in texts.items()}


def _codelist_labels(dataset_dict, field, codelist):
    from ckanext.ogpguatemala.infrastructure import settings

    codes = parse_codes(dataset_dict.get(field), upper=False)
    labels = {c["value"]: c["label"] for c in settings.codelist_choices(codelist)}
    return [labels[code] for code in codes if isinstance(labels.get(code), dict)]


class RecommendedProfile(MediaTypeProfile):
    """The recommended properties above, on top of euro_dcat_ap_3's graph."""

    def _graph_catalog_recommended(self, catalog_ref):
        g = self.g
        licence = catalog_license()
        if licence and self._object(catalog_ref, DCT.license) is None:
            g.add((catalog_ref, DCT.license, URIRef(licence)))
            g.add((URIRef(licence), RDF.type, DCT.LicenseDocument))
        issued = first_publication()
        if issued and self._object(catalog_ref, DCT.issued) is None:
            self._add_date_triple(catalog_ref, DCT.issued, issued)

    def _graph_distribution_descriptions(self, dataset_dict, dataset_ref):
        g = self.g
        title = dataset_dict.get("title") or dataset_dict.get("name") or ""
        for resource in dataset_dict.get("resources", []):
            ref = URIRef(resource_uri(resource))
            if (ref, RDF.type, DCAT.Distribution) in g and self._object(ref, DCT.description) is None:
                registry_graph.add_bilingual(g, ref, DCT.description,
                                             distribution_description(resource, title))

    def _graph_project_recommended(self, dataset_dict, dataset_ref):
        """Keywords and temporal coverage of an infrastructure project."""
        g = self.g
        if dataset_dict.get("type") != "oc4ids-proyecto":
            return
        have = {fold(str(k)) for k in g.objects(dataset_ref, DCAT.keyword)}
        for field, codelist in OC4IDS_KEYWORD_FIELDS:
            for label in _codelist_labels(dataset_dict, field, codelist):
                for lang in ("es", "en"):
                    if label.get(lang) and fold(label[lang]) not in have:
                        g.add((dataset_ref, DCAT.keyword, Literal(label[lang], lang=lang)))
        start, end = dataset_dict.get("project_period_start"), dataset_dict.get("project_period_end")
        if (start or end) and self._object(dataset_ref, DCT.temporal) is None:
            self._add_temporal(dataset_ref, start, end)

    def _add_temporal(self, dataset_ref, start, end):
        period = BNode()
        self.g.add((period, RDF.type, DCT.PeriodOfTime))
        self._add_date_triple(period, DCAT.startDate, start)
        self._add_date_triple(period, DCAT.endDate, end)
        self.g.add((dataset_ref, DCT.temporal, period))

    def _add_extent(self, location_ref, code):
        """``dcat:centroid`` and ``dcat:bbox`` of a department (INE code) or
        of Guatemala (``GTM``); nothing for a place without an outline."""
        shape = places.shape(code)
        if shape is None or self._object(location_ref, DCAT.centroid) is not None:
            return
        self._add_spatial_value_to_graph(location_ref, DCAT.centroid, shape.centroid_wkt())
        self._add_spatial_value_to_graph(location_ref, DCAT.bbox, shape.bbox_wkt())
