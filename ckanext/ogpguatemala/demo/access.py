"""CPCC's yearly reports on access to public information in the Executive
(PAN6, commitment 1, milestone 4): one general dataset per year from 2024 to
the last year ended, with the requests each ministry received and how it
answered them."""
from __future__ import annotations

import datetime as dt
import random

from . import records

FIRST_YEAR = 2024
MINISTRIES = ("MAGA", "MARN", "MCD", "MEM", "MICIVI", "MIDES", "MINDEF", "MINECO", "MINEDUC",
              "MINEX", "MINFIN", "MINGOB", "MINTRAB", "MSPAS")
HEADER = ["institucion", "solicitudes_recibidas", "resueltas_en_plazo", "resueltas_con_prorroga",
          "denegadas", "pendientes", "dias_promedio_respuesta"]


def rows(year: int) -> list[list]:
    rng = random.Random("cpcc|%d" % year)
    out = []
    for ministry in MINISTRIES:
        received = rng.randint(180, 2600)
        denied = round(received * rng.uniform(0.01, 0.06))
        pending = round(received * rng.uniform(0.0, 0.04))
        extended = round(received * rng.uniform(0.05, 0.2))
        out.append([ministry, received, received - denied - pending - extended, extended,
                     denied, pending, "%.1f" % rng.uniform(4.5, 11.5)])
    return out


def record(year: int) -> dict:
    name = "demo-informe-acceso-informacion-publica-%d" % year
    return records.dataset(
        "Informe anual sobre el ejercicio del derecho de acceso a la información pública en "
        "los ministerios del Organismo Ejecutivo durante %d: solicitudes recibidas, "
        "resueltas en plazo o con prórroga, denegadas y pendientes, y días promedio de "
        "respuesta, por institución (compromiso 1, hito 4)." % year,
        type="dataset", name=name,
        title="Informe de acceso a la información pública %d (demostración)" % year,
        owner_org="cpcc", ogp_milestones=["PAN6-C1-H4"],
        contact_email="informacionpublica@cpcc.gob.gt", frequency="ANNUAL",
        temporal_start="%d-01-01" % year, temporal_end="%d-12-31" % year,
        geo_level="nacional",
        tags=records.tags("acceso a la información", "transparencia"),
        files=[records.csv_file("Solicitudes por institución (CSV)", name + ".csv", HEADER,
                                rows(year))],
    )


def build(today: dt.date) -> list[dict]:
    return [record(year) for year in range(FIRST_YEAR, today.year)]
