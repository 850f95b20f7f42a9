"""Four-monthly (cuatrimestral, EU frequency ANNUAL_3) reports.

- CONAMIGUA's accountability reports of the Multisectoral Roundtable (PAN6,
  commitment 4, milestone 3): ``conamigua-informe`` datasets, every term
  from September–December 2023 on, none missing.
- MINGOB's reports on the CAIMUS budget (commitment 5, milestone 1): general
  datasets, every term from September–December 2023 on, except one
  (``LATE``): that term ended long ago and its report was never published,
  so the observatory's timeliness lists it as missing.

A term's report is published two months after the term ends (see
``periods``); the CSVs come from generators seeded with the term.
"""
from __future__ import annotations

import random

from ckanext.ogpguatemala import geo

from . import periods, records

FIRST_TERM = (2023, "III")
LATE = (2025, "I")        # MINGOB's CAIMUS report that was never published
TERM_LABEL = {"I": "enero–abril", "II": "mayo–agosto", "III": "septiembre–diciembre"}

def _term_record(year: int, term: str, notes: str, **fields) -> dict:
    """A four-monthly report: its term as temporal coverage, frequency ANNUAL_3."""
    start, end = periods.cuatrimestre_bounds(year, term)
    return records.dataset(notes % (TERM_LABEL[term], year), frequency="ANNUAL_3",
                           temporal_start=start, temporal_end=end, **fields)


# --------------------------------------------------------------- CONAMIGUA
# Departments with the highest irregular emigration, where the MMM works.
MMM_DEPARTMENTS = ("13", "12", "14", "16", "09", "17", "08", "01", "20", "22")
MMM_INSTITUTIONS = ("igm", "minex", "mides", "mintrab", "mineduc", "mspas", "sbs", "pgn",
                    "maga", "segeplan", "intecap", "svet", "pnc_mingob", "mineco")
MMM_ACTIONS = (
    ("Sesión ordinaria de la Mesa Multisectorial", "territorial"),
    ("Feria de empleo y orientación sobre migración regular", "socioeconomico"),
    ("Taller sobre riesgos de la migración irregular con jóvenes", "etario"),
    ("Mesa técnica departamental de atención a personas retornadas", "territorial"),
    ("Capacitación a lideresas comunitarias sobre derechos de las mujeres migrantes", "genero"),
    ("Diálogo con autoridades indígenas sobre causas de la migración", "etnico"),
    ("Jornada de documentación para niñez y adolescencia retornada", "etario"),
    ("Reunión de coordinación interinstitucional", "territorial"),
)
ACTION_HEADER = ["fecha", "accion", "institucion_responsable", "departamento_codigo",
                 "departamento", "enfoque", "personas_participantes"]


def conamigua_name(year: int, term: str) -> str:
    return "demo-conamigua-informe-%d-%s" % (year, term.lower())


def conamigua_record(year: int, term: str) -> dict:
    rng = random.Random("conamigua|%d|%s" % (year, term))
    months = periods.cuatrimestre_months(year, term)
    institutions = sorted(rng.sample(MMM_INSTITUTIONS, rng.randint(5, 9)))
    rows = []
    for month in months:
        for _ in range(rng.randint(2, 5)):
            action, approach = rng.choice(MMM_ACTIONS)
            code = rng.choice(MMM_DEPARTMENTS)
            rows.append(["%s-%02d" % (month, rng.randint(1, 28)), action,
                         rng.choice(["conamigua"] + institutions).upper(), code,
                         geo.department_name(code), approach, rng.randint(12, 140)])
    rows.sort()
    departments = sorted({r[3] for r in rows})
    return _term_record(
        year, term,
        "Informe cuatrimestral de rendición de cuentas de la Mesa Multisectorial para la "
        "Atención a las Causas de la Migración Irregular (MMM), %s %d: acciones realizadas, "
        "instituciones responsables, departamentos, enfoques y personas participantes "
        "(compromiso 4, hito 3).",
        type="conamigua-informe", name=conamigua_name(year, term),
        title="Informe cuatrimestral de rendición de cuentas de la MMM, %d-%s (demostración)"
              % (year, term),
        owner_org="conamigua", ogp_milestones=["PAN6-C4-H3"],
        contact_email="informacion@conamigua.gob.gt",
        geo_level="departamental", geo_departments=departments,
        report_kind="informe_cuatrimestral", report_year=year, report_cuatrimestre=term,
        participating_institutions=["conamigua"] + institutions,
        approaches=sorted({r[5] for r in rows}),
        budget_executed="%.2f" % rng.uniform(380000, 1450000), budget_currency="GTQ",
        tags=records.tags("migración", "rendición de cuentas", "MMM"),
        files=[records.csv_file("Acciones del cuatrimestre (CSV)",
                                conamigua_name(year, term) + ".csv", ACTION_HEADER, rows)],
    )


# ------------------------------------------------------------------ MINGOB
# CAIMUS: (name, INE department, INE municipality)
CAIMUS = (
    ("CAIMUS Guatemala", "01", "0101"), ("CAIMUS Escuintla", "05", "0501"),
    ("CAIMUS Chimaltenango", "04", "0401"), ("CAIMUS Quetzaltenango", "09", "0901"),
    ("CAIMUS Rabinal", "15", "1503"), ("CAIMUS Cobán", "16", "1601"),
    ("CAIMUS Mazatenango", "10", "1001"), ("CAIMUS Huehuetenango", "13", "1301"),
    ("CAIMUS Petén", "17", "1701"), ("CAIMUS Retalhuleu", "11", "1101"),
)
CAIMUS_HEADER = ["caimus", "departamento_codigo", "departamento", "municipio_codigo",
                 "municipio", "asignado_gtq", "transferido_gtq", "ejecutado_gtq",
                 "fecha_transferencia"]


def caimus_name(year: int, term: str) -> str:
    number = periods.CUATRIMESTRES.index(term) + 1
    return "demo-caimus-presupuesto-%d-cuatrimestre-%d" % (year, number)


def caimus_record(year: int, term: str) -> dict:
    rng = random.Random("caimus|%d|%s" % (year, term))
    months = periods.cuatrimestre_months(year, term)
    rows = []
    for name, dep, mun in CAIMUS:
        assigned = round(rng.uniform(780000, 1350000), -3)
        transferred = round(assigned * rng.choice((1.0, 1.0, 1.0, 0.75, 0.5)), 2)
        executed = round(transferred * rng.uniform(0.62, 0.98), 2)
        rows.append([name, dep, geo.department_name(dep), mun, geo.municipality_name(mun),
                     "%.2f" % assigned, "%.2f" % transferred, "%.2f" % executed,
                     "%s-%02d" % (months[rng.randint(0, 2)], rng.randint(1, 28))])
    return _term_record(
        year, term,
        "Informe cuatrimestral del Ministerio de Gobernación sobre las asignaciones y "
        "ejecuciones presupuestarias de los Centros de Apoyo Integral para Mujeres "
        "Sobrevivientes de Violencia (CAIMUS), %s %d: monto asignado, transferido y "
        "ejecutado por centro (compromiso 5, hito 1).",
        type="dataset", name=caimus_name(year, term),
        title="Presupuesto de los CAIMUS, cuatrimestre %s %d (demostración)" % (term, year),
        owner_org="mingob", ogp_milestones=["PAN6-C5-H1"], contact_email="datos@mingob.gob.gt",
        geo_level="municipal", geo_departments=sorted({c[1] for c in CAIMUS}),
        geo_municipalities=sorted(c[2] for c in CAIMUS),
        tags=records.tags("CAIMUS", "presupuesto", "violencia contra las mujeres"),
        files=[records.csv_file("Presupuesto por CAIMUS (CSV)", caimus_name(year, term) + ".csv",
                                CAIMUS_HEADER, rows)],
    )


def build(today) -> list[dict]:
    terms = periods.cuatrimestres(FIRST_TERM, today)
    return ([conamigua_record(y, t) for y, t in terms]
            + [caimus_record(y, t) for y, t in terms if (y, t) != LATE])
