"""The observatory publishes itself as open data: a dataset of the catalogue
whose resources are its CSV and JSON exports, so harvesters get the figures
with everything else (``ckan ogpguatemala publish-observatory``)."""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.logic.context import site_context

from .exports import TABLES

NAME = "observatorio-datos-abiertos"
MILESTONE = "PAN6-C1-H3"  # the observatory of open data (commitment 1, milestone 3)
TITLES = {
    "milestones": "Hitos: estado y estimación",
    "commitments": "Compromisos: avance",
    "institutions": "Instituciones: apertura, puntualidad y posición",
    "timeliness": "Series periódicas: periodos publicados y faltantes",
    "publications": "Publicaciones por mes",
}


def dataset_dict(organization: str) -> dict:
    site = tk.config.get("ckan.site_url").rstrip("/")
    resources = []
    for table in TABLES:
        for fmt in ("CSV", "JSON"):
            resources.append({
                "name": "%s (%s)" % (TITLES[table], fmt),
                "url": "%s/observatorio/datos/%s.%s" % (site, table, fmt.lower()),
                "format": fmt,
            })
    return {
        "name": NAME, "type": "dataset", "owner_org": organization,
        "title": "Observatorio de apertura de datos: avance del Plan de Acción",
        "notes": ("Cifras del observatorio de apertura de datos (compromiso 1, hito 3 del "
                  "6to. Plan de Acción Nacional de Gobierno Abierto): estado de cada hito y "
                  "compromiso, apertura y puntualidad de cada institución, series periódicas "
                  "y publicaciones por mes. Se calculan a partir de los conjuntos de datos "
                  "públicos del portal cada vez que se descargan; la metodología está en "
                  "/observatorio."),
        "ogp_milestones": [MILESTONE], "license_id": "CC-BY-4.0",
        "contact_name": "Comisión Presidencial de Gobierno Abierto y Electrónico",
        "contact_email": tk.config.get("ckanext.ogpguatemala.observatory_contact"),
        "temporal_start": "2023-06-30", "temporal_end": dt.date.today().isoformat(),
        "frequency": "UPDATE_CONT", "language": ["SPA", "ENG"], "geo_level": "nacional",
        "provenance": "Calculado por el portal a partir de sus conjuntos de datos públicos.",
        "tag_string": "observatorio,gobierno abierto,datos abiertos",
        "resources": resources,
    }


def publish(organization: str = "gae") -> tuple[dict, bool]:
    """Create or update the dataset; returns (dataset, created)."""
    context = site_context()
    data = dataset_dict(organization)
    try:
        current = tk.get_action("package_show")(dict(context), {"id": NAME})
    except tk.ObjectNotFound:
        return tk.get_action("package_create")(dict(context), data), True
    return tk.get_action("package_update")(dict(context), dict(data, id=current["id"])), False
