"""Dataset series in the RDF, beyond what ckanext-dcat's DCAT-AP 3 profile
writes (``dcat:DatasetSeries`` for a series, ``dcat:inSeries`` and
first/last/prev/next from ckanext-dataset-series' navigation):

- serialising a release: each series it names is described where it is
  named (typed ``dcat:DatasetSeries``, with its title and description), so a
  harvester reading one page of the catalogue knows the series without
  finding the series' own page; a series that is not public is not named at
  all (ckanext-dcat would link any id in ``in_series``);
- a series' temporal coverage is its public releases' (first start, last
  end), and its place Guatemala (each release says where exactly);
- a series itself is typed ``dcat:Dataset`` as well (DCAT 3 makes
  ``dcat:DatasetSeries`` a subclass of it): the catalogue's ``dcat:dataset``
  shape asks for it, and harvesters find the series;
- parsing: the series of a harvested release, ``{"uri", "title",
  "description"}`` under ``SERIES_KEY``, and whether the harvested node is a
  series itself (``IS_SERIES_KEY``), for the harvest hooks
  (``ckanext/ogpguatemala/harvest.py``) to match or create a local series.
"""
from __future__ import annotations

from rdflib import BNode, Literal
from rdflib.namespace import XSD

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.dcat.profiles import DCAT, DCT, RDF

SERIES_KEY = "ogp_harvested_series"
IS_SERIES_KEY = "ogp_harvested_is_series"


def graph(profile, dataset_dict, dataset_ref) -> None:
    g = profile.g
    if dataset_dict.get("type") == "dataset_series":
        # ckanext-dcat types a series dcat:DatasetSeries only; it is a
        # dcat:Dataset too (DCAT 3 makes it a subclass), which the catalogue's
        # dcat:dataset shape asks for and harvesters look for
        g.add((dataset_ref, RDF.type, DCAT.Dataset))
        _temporal(g, dataset_dict, dataset_ref)
    for series_ref in list(g.objects(dataset_ref, DCAT.inSeries)):
        series_id = str(series_ref).rstrip("/").rsplit("/", 1)[-1]
        pkg = model.Package.get(series_id)
        if pkg is None or pkg.private or pkg.state != "active" or pkg.type != "dataset_series":
            g.remove((dataset_ref, DCAT.inSeries, series_ref))
            continue
        if (series_ref, DCT.title, None) in g:
            continue  # the series itself, serialised in the same graph
        g.add((series_ref, RDF.type, DCAT.DatasetSeries))
        g.add((series_ref, DCT.title, Literal(pkg.title or pkg.name)))
        g.add((series_ref, DCT.description, Literal(pkg.notes or pkg.title or pkg.name)))


def _release_date(series_id: str, field: str, order: str) -> str | None:
    result = tk.get_action("package_search")({"ignore_auth": True}, {
        "fq": '+vocab_in_series:"%s" +%s:[* TO *]' % (series_id, field),
        "sort": "%s %s" % (field, order), "rows": 1})
    rows = result["results"]
    value = str(rows[0].get(field) or "") if rows else ""
    return value[:10] if len(value) >= 10 else None


def _temporal(g, dataset_dict, dataset_ref) -> None:
    """A series' temporal coverage: from its first public release's start
    to its last one's end."""
    if (dataset_ref, DCT.temporal, None) in g or not dataset_dict.get("id"):
        return
    start = _release_date(dataset_dict["id"], "temporal_start", "asc")
    end = _release_date(dataset_dict["id"], "temporal_end", "desc")
    if not start and not end:
        return
    period = BNode()
    g.add((dataset_ref, DCT.temporal, period))
    g.add((period, RDF.type, DCT.PeriodOfTime))
    if start:
        g.add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
    if end:
        g.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))


def parse(profile, dataset_dict, dataset_ref) -> None:
    if (dataset_ref, RDF.type, DCAT.DatasetSeries) in profile.g:
        dataset_dict[IS_SERIES_KEY] = True
    found = []
    for series_ref in profile.g.objects(dataset_ref, DCAT.inSeries):
        found.append({
            "uri": str(series_ref),
            "title": profile._object_value(series_ref, DCT.title),
            "description": profile._object_value(series_ref, DCT.description),
        })
    if found:
        dataset_dict[SERIES_KEY] = found
