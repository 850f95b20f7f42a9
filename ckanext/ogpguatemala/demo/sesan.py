"""SESAN's food and nutrition security indicators on the SINSAN (PAN6,
commitment 2): one ``sinsan-nutricion`` dataset per indicator, covering the
four pillars, each with a CSV by department; and the training sessions of
milestone 3 as a general dataset. Milestone 2 (INCOPAS participation) is left
without data on purpose: the observatory shows it as pending.

Values are generated from a seeded random generator around a plausible level
per department (higher where chronic malnutrition is known to be higher); they
are illustrative, not official figures.
"""
from __future__ import annotations

import datetime as dt
import random
from typing import NamedTuple

from ckanext.ogpguatemala import geo

from . import records

ORG = "sesan"
CONTACT = "sinsan@sesan.gob.gt"
# How strongly each department (INE code) is affected, 0..1: the western and
# northern highlands most, the capital least.
VULNERABILITY = {
    "08": 1.0, "14": 0.95, "13": 0.93, "07": 0.9, "04": 0.75, "12": 0.75, "16": 0.72,
    "09": 0.62, "15": 0.6, "21": 0.6, "20": 0.55, "10": 0.45, "03": 0.45, "11": 0.4,
    "17": 0.4, "18": 0.35, "19": 0.35, "22": 0.35, "06": 0.3, "05": 0.25, "02": 0.25,
    "01": 0.15,
}


class Indicator(NamedTuple):
    name: str
    title: str
    indicator: str
    pillar: str
    source: str
    unit: str
    column: str              # the value column of the CSV
    population: tuple
    disaggregations: tuple
    reference: str           # reference_period
    frequency: str
    span: tuple              # (value where least affected, where most affected)
    methodology: str
    tags: tuple


INDICATORS = (
    Indicator(
        "demo-desnutricion-cronica-ensmi-2014-2015",
        "Desnutrición crónica en menores de cinco años por departamento, ENSMI 2014-2015",
        "Prevalencia de desnutrición crónica en niñas y niños menores de cinco años",
        "utilizacion_biologica", "ensmi_2014_2015", "porcentaje", "prevalencia_pct",
        ("ninos_0_59_meses",), ("sexo", "area", "departamento"), "2014/2015", "IRREG",
        (24.0, 70.0), "Talla para la edad por debajo de -2 desviaciones estándar del patrón "
        "de crecimiento de la OMS.", ("desnutrición", "nutrición", "ENSMI")),
    Indicator(
        "demo-desnutricion-cronica-gcnn-2021-2022",
        "Desnutrición crónica en menores de dos años por departamento, línea de base de la "
        "Gran Cruzada Nacional por la Nutrición 2021-2022",
        "Prevalencia de desnutrición crónica en niñas y niños menores de dos años",
        "utilizacion_biologica", "gcnn_linea_base_2021_2022", "porcentaje", "prevalencia_pct",
        ("ninos_0_59_meses",), ("sexo", "departamento"), "2021/2022", "IRREG",
        (20.0, 62.0), "Talla para la edad por debajo de -2 desviaciones estándar; muestra "
        "de hogares de la línea de base.", ("desnutrición", "nutrición", "GCNN")),
    Indicator(
        "demo-lactancia-materna-exclusiva-ensmi-2014-2015",
        "Lactancia materna exclusiva en menores de seis meses por departamento, ENSMI 2014-2015",
        "Porcentaje de niñas y niños menores de seis meses con lactancia materna exclusiva",
        "consumo", "ensmi_2014_2015", "porcentaje", "porcentaje",
        ("ninos_0_59_meses", "mujeres_embarazadas_lactantes"), ("area", "departamento"),
        "2014/2015", "IRREG", (42.0, 74.0), "Recordatorio de 24 horas de la alimentación del "
        "lactante.", ("lactancia materna", "nutrición")),
    Indicator(
        "demo-inseguridad-alimentaria-hogares-2023",
        "Hogares en inseguridad alimentaria moderada o severa por departamento, 2023",
        "Porcentaje de hogares en inseguridad alimentaria moderada o severa (escala FIES)",
        "acceso", "encuesta_hogares", "porcentaje de hogares", "porcentaje_hogares",
        ("hogares",), ("area", "departamento"), "2023", "IRREG", (9.0, 44.0),
        "Escala de experiencia de inseguridad alimentaria (FIES) de ocho preguntas.",
        ("inseguridad alimentaria", "hogares")),
    Indicator(
        "demo-produccion-maiz-blanco-2024-2025",
        "Producción de maíz blanco por departamento, año agrícola 2024-2025",
        "Producción de maíz blanco", "disponibilidad", "registros_administrativos",
        "miles de quintales", "miles_quintales", ("poblacion_general",), ("departamento",),
        "2024/2025", "IRREG", (3400.0, 350.0), "Estimación de cosecha a partir de los "
        "registros de las sedes departamentales.", ("maíz", "granos básicos", "producción")),
    Indicator(
        "demo-anemia-mujeres-edad-fertil-ensmi-2014-2015",
        "Anemia en mujeres en edad fértil por departamento, ENSMI 2014-2015",
        "Prevalencia de anemia en mujeres de 15 a 49 años", "utilizacion_biologica",
        "ensmi_2014_2015", "porcentaje", "prevalencia_pct", ("mujeres_edad_fertil",),
        ("edad", "area", "departamento"), "2014/2015", "IRREG", (9.0, 21.0),
        "Hemoglobina capilar ajustada por altitud.", ("anemia", "salud materna")),
)
FIRST_ACUTE_YEAR = 2024


def _values(seed: str, span: tuple) -> dict:
    rng = random.Random("sesan|" + seed)
    low, high = span
    out = {}
    for code, weight in sorted(VULNERABILITY.items()):
        value = low + (high - low) * weight + (high - low) * rng.uniform(-0.07, 0.07)
        out[code] = "%.1f" % max(0.0, value)
    return out


def _period(reference: str) -> tuple[str, str]:
    years = reference.split("/")
    return "%s-01-01" % years[0][:4], "%s-12-31" % years[-1][:4]


def indicator_record(ind: Indicator) -> dict:
    start, end = _period(ind.reference)
    return records.dataset(
        "%s: valor por departamento (código INE). Publicado por la SESAN en el Sistema de "
        "Información Nacional de Seguridad Alimentaria y Nutricional (SINSAN), compromiso 2, "
        "hito 1." % ind.indicator,
        type="sinsan-nutricion", name=ind.name, title="%s (demostración)" % ind.title,
        owner_org=ORG, ogp_milestones=["PAN6-C2-H1"], contact_email=CONTACT,
        frequency=ind.frequency, temporal_start=start, temporal_end=end,
        geo_level="departamental", geo_departments=sorted(VULNERABILITY),
        sinsan_pillar=ind.pillar, indicator=ind.indicator,
        target_population=list(ind.population), data_source=ind.source,
        methodology=ind.methodology, unit_of_measure=ind.unit,
        disaggregations=list(ind.disaggregations), reference_period=ind.reference,
        tags=records.tags("SINSAN", *ind.tags),
        files=[records.csv_file(
            "Indicador por departamento (CSV)", ind.name + ".csv",
            ["departamento_codigo", "departamento", ind.column],
            records.department_rows(_values(ind.name, ind.span)))],
    )


def acute_record(year: int) -> dict:
    """Acute malnutrition cases, one dataset per year (a yearly series)."""
    name = "demo-desnutricion-aguda-%d" % year
    return records.dataset(
        "Tasa de casos de desnutrición aguda notificados en niñas y niños menores de cinco "
        "años durante %d, por departamento (casos por cada 10 000 menores de cinco años). "
        "Publicado por la SESAN en el SINSAN, compromiso 2, hito 1." % year,
        type="sinsan-nutricion", name=name,
        title="Desnutrición aguda en menores de cinco años por departamento, %d "
              "(demostración)" % year,
        owner_org=ORG, ogp_milestones=["PAN6-C2-H1"], contact_email=CONTACT,
        frequency="ANNUAL", temporal_start="%d-01-01" % year, temporal_end="%d-12-31" % year,
        geo_level="departamental", geo_departments=sorted(VULNERABILITY),
        sinsan_pillar="utilizacion_biologica",
        indicator="Tasa de casos de desnutrición aguda en niñas y niños menores de cinco años",
        target_population=["ninos_0_59_meses"], data_source="registros_administrativos",
        methodology="Casos notificados por los servicios de salud (peso para la talla por "
                    "debajo de -2 desviaciones estándar), por cada 10 000 menores de cinco años.",
        unit_of_measure="casos por 10 000 menores de cinco años",
        disaggregations=["sexo", "departamento"], reference_period=str(year),
        tags=records.tags("SINSAN", "desnutrición aguda", "nutrición"),
        files=[records.csv_file(
            "Tasa por departamento (CSV)", name + ".csv",
            ["departamento_codigo", "departamento", "tasa_por_10000"],
            records.department_rows(_values(name, (6.0, 58.0))))],
    )


MODALITIES = ("Virtual sincrónica", "Virtual asincrónica", "Híbrida", "Presencial")
TOPICS = ("Gobernanza de la seguridad alimentaria y nutricional",
          "Uso de los datos abiertos del SINSAN",
          "Vigilancia de la desnutrición aguda",
          "Planificación municipal de la seguridad alimentaria",
          "Participación de la sociedad civil en las COMUSAN")


def training_record(today: dt.date) -> dict:
    """Training sessions of milestone 3, from July 2023 to the last month."""
    rng = random.Random("sesan-training")
    rows = []
    day = dt.date(2023, 7, 10)
    while day < today.replace(day=1):
        code = rng.choice(sorted(VULNERABILITY))
        women = rng.randint(8, 45)
        rows.append([day.isoformat(), rng.choice(MODALITIES), rng.choice(TOPICS), code,
                     geo.department_name(code), women, rng.randint(5, 40)])
        day += dt.timedelta(days=rng.randint(18, 40))
    return records.dataset(
        "Sesiones de capacitación en gobernanza de la seguridad alimentaria y nutricional "
        "(virtuales, híbridas y presenciales): fecha, modalidad, tema, departamento y "
        "participantes (compromiso 2, hito 3).",
        type="dataset", name="demo-capacitaciones-gobernanza-san",
        title="Capacitaciones en gobernanza de la seguridad alimentaria y nutricional "
              "(demostración)",
        owner_org=ORG, ogp_milestones=["PAN6-C2-H3"], contact_email=CONTACT,
        frequency="IRREG", temporal_start="2023-07-01", temporal_end=rows[-1][0],
        geo_level="departamental", geo_departments=sorted({r[3] for r in rows}),
        tags=records.tags("capacitación", "seguridad alimentaria"),
        files=[records.csv_file(
            "Sesiones de capacitación (CSV)", "demo-capacitaciones-gobernanza-san.csv",
            ["fecha", "modalidad", "tema", "departamento_codigo", "departamento",
             "participantes_mujeres", "participantes_hombres"], rows)],
    )


def build(today: dt.date) -> list[dict]:
    return ([indicator_record(ind) for ind in INDICATORS]
            + [acute_record(year) for year in range(FIRST_ACUTE_YEAR, today.year)]
            + [training_record(today)])
