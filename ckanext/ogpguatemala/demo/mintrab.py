"""MINTRAB's monthly labour-mobility reports (PAN6, commitment 6, milestone 2).

One ``mintrab-movilidad`` dataset per programme and month, from the
programme's first month (United States: August 2023, when the milestone
starts; Canada, reported separately: January 2026) to the newest month
published (two months before the load's date), with the report as a CSV
that passes the MINTRAB check: one row per person placed, in the columns of
``data/mintrab-movilidad.tableschema.json``. Some months are missing, as in
a real series, so that the observatory's timeliness shows gaps. Rows come
from a random generator seeded with the programme and month: the same month
always gives the same file.
"""
from __future__ import annotations

import random
from typing import NamedTuple

from ckanext.ogpguatemala import geo

from . import periods, records

MILESTONE = "PAN6-C6-H2"
HEADER = ["pais_destino", "sexo", "tipo_visa", "edad", "sector", "trabajo_realizado",
          "identidad_cultural", "salario", "moneda_salario", "departamento_origen",
          "municipio_origen"]

# Departments of origin (INE code) weighted as in the programmes' recruitment:
# mostly the western highlands.
ORIGIN = {"13": 18, "12": 14, "14": 12, "08": 9, "09": 8, "04": 7, "07": 6, "16": 6,
          "01": 5, "22": 3, "10": 3, "11": 2, "17": 2, "05": 2, "15": 2, "06": 1,
          "18": 1, "20": 1, "21": 1, "03": 1, "19": 1, "02": 1}
MAYA = {"03", "04", "07", "08", "09", "10", "12", "13", "14", "15", "16"}
XINKA = {"06", "21", "22"}
# H-2A (agricultural) demand peaks in spring and summer.
SEASON = [0.6, 0.8, 1.2, 1.4, 1.4, 1.3, 1.1, 0.9, 0.8, 0.7, 0.6, 0.5]


class Job(NamedTuple):
    visa: str
    sector: str
    work: str
    weight: int


class Programme(NamedTuple):
    code: str           # the schema's ``programme`` choice
    slug: str           # in the dataset name ("" for the main series)
    label: str          # in the title
    country: str        # ISO 3166-1 alpha-2
    currency: str
    wage: tuple         # (wage in the first year, yearly rise)
    first: str          # first reported month
    placed: int         # people placed in an average month
    gap_rate: float     # share of months not published
    women: float        # share of women placed
    jobs: tuple


PROGRAMMES = (
    Programme(
        "movilidad_laboral_eeuu", "", "Estados Unidos", "US", "USD", (16.10, 0.55), "2023-08",
        320, 0.13, 0.12, (
            Job("H-2A", "Agricultura", "Cosecha de fresa", 6),
            Job("H-2A", "Agricultura", "Cosecha de arándano", 5),
            Job("H-2A", "Agricultura", "Cosecha de tabaco", 3),
            Job("H-2A", "Agricultura", "Cosecha de cebolla", 3),
            Job("H-2A", "Agricultura", "Cosecha de cítricos", 3),
            Job("H-2A", "Agricultura", "Trabajo en vivero", 2),
            Job("H-2B", "Industria", "Procesamiento de mariscos", 2),
            Job("H-2B", "Servicios", "Limpieza de hoteles", 1),
            Job("H-2B", "Construcción", "Paisajismo", 2),
            Job("H-2B", "Silvicultura", "Plantación de árboles", 1),
        )),
    Programme(
        "trabajadores_temporales_canada", "canada", "Canadá", "CA", "CAD", (16.55, 0.60),
        "2026-01", 90, 0.10, 0.22, (
            Job("Permiso de trabajo temporal", "Agricultura", "Cosecha de manzana", 4),
            Job("Permiso de trabajo temporal", "Agricultura", "Trabajo en invernadero", 4),
            Job("Permiso de trabajo temporal", "Agricultura", "Empaque de hortalizas", 3),
            Job("Permiso de trabajo temporal", "Industria", "Procesamiento de carne", 1),
        )),
)


def published(programme: Programme, month: str) -> bool:
    """Whether the demo publishes this month's report: always the first one,
    otherwise all but a fixed share of months, chosen by the month itself."""
    return month == programme.first or periods.draw("mintrab", programme.code, month) \
        >= programme.gap_rate


def months_due(programme: Programme, today) -> list[str]:
    """Every month from the first to the newest published by ``today``."""
    return periods.months(programme.first, periods.last_published_month(today))


def dataset_name(programme: Programme, month: str) -> str:
    return "-".join(p for p in ("demo-movilidad-laboral", programme.slug, month) if p)


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _identity(rng: random.Random, department: str) -> str:
    if department in MAYA:
        return _pick(rng, {"Maya": 85, "Ladino/Mestizo": 14, "Otro": 1})
    if department == "18":
        return _pick(rng, {"Ladino/Mestizo": 50, "Maya": 30, "Garífuna": 20})
    if department in XINKA:
        return _pick(rng, {"Ladino/Mestizo": 80, "Xinka": 16, "Otro": 4})
    return _pick(rng, {"Ladino/Mestizo": 82, "Maya": 17, "Otro": 1})


def report_rows(programme: Programme, month: str) -> list[list]:
    """One row per person placed in ``month`` (the same rows every time)."""
    rng = random.Random("mintrab-rows|%s|%s" % (programme.code, month))
    year = int(month[:4]) - int(programme.first[:4])
    count = round(programme.placed * SEASON[int(month[5:7]) - 1] * (1 + 0.08 * year)
                  * rng.uniform(0.85, 1.15))
    return list(_people(programme, month, count, rng))


def write_large_report(path: str, rows: int, programme: Programme | None = None,
                       month: str = "2025-06") -> None:
    """A report of ``rows`` people (e.g. 200,000: a large programme's month)
    written to ``path`` as CSV, row by row (the benchmark's and the tests'
    large files; the same file for the same arguments)."""
    import csv

    programme = programme or PROGRAMMES[0]
    rng = random.Random("mintrab-large|%s|%s|%d" % (programme.code, month, rows))
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerows(_people(programme, month, rows, rng))


def _people(programme: Programme, month: str, count: int, rng: random.Random):
    year = int(month[:4]) - int(programme.first[:4])
    jobs = {job: job.weight for job in programme.jobs}
    for _ in range(count):
        job = _pick(rng, jobs)
        department = _pick(rng, ORIGIN)
        wage = programme.wage[0] + programme.wage[1] * year + rng.uniform(-0.4, 1.6)
        yield [
            programme.country,
            "Mujer" if rng.random() < programme.women else "Hombre",
            job.visa,
            max(18, min(62, round(rng.triangular(18, 58, 28)))),
            job.sector,
            job.work,
            _identity(rng, department),
            "%.2f" % wage,
            programme.currency,
            department,
            rng.choice(geo.municipalities_of(department)),
        ]


def record(programme: Programme, month: str) -> dict:
    rows = report_rows(programme, month)
    rng = random.Random("mintrab-counts|%s|%s" % (programme.code, month))
    placed = len(rows)
    start, end = periods.month_bounds(month)
    month_es = periods.month_name(month)
    departments = sorted({row[9] for row in rows})
    return records.dataset(
        "Informe estadístico mensual de movilidad laboral de %s: personas colocadas en el "
        "programa de trabajo temporal en %s, con país de destino, sexo, tipo de visa, edad, "
        "sector, trabajo realizado, identidad cultural, salario y lugar de origen (una fila "
        "por persona). Incluye el número de empleadores, de solicitantes y de personas "
        "colocadas (compromiso 6, hito 2)." % (month_es, programme.label),
        type="mintrab-movilidad",
        name=dataset_name(programme, month),
        title="Informe estadístico de movilidad laboral, %s — %s (demostración)"
              % (month_es, programme.label),
        owner_org="mintrab",
        ogp_milestones=[MILESTONE],
        contact_email="movilidadlaboral@mintrab.gob.gt",
        frequency="MONTHLY",
        temporal_start=start,
        temporal_end=end,
        geo_level="departamental",
        geo_departments=departments,
        reporting_month=month,
        programme=programme.code,
        destination_countries=[programme.country],
        employers_count=max(1, round(placed / rng.uniform(12, 22))),
        applicants_count=round(placed * rng.uniform(1.35, 1.9)),
        placed_count=placed,
        source_register="Registro del Programa de Movilidad Laboral – MINTRAB",
        provenance="Generado para la demostración a partir de la estructura del registro "
                   "de las plataformas electrónicas de movilidad laboral del MINTRAB.",
        tags=records.tags("movilidad laboral", "migración laboral", programme.label),
        files=[records.csv_file("Informe mensual (CSV)", "%s.csv" % dataset_name(programme, month),
                                HEADER, rows)],
    )


def build(today) -> list[dict]:
    return [record(p, month) for p in PROGRAMMES for month in months_due(p, today)
            if published(p, month)]
