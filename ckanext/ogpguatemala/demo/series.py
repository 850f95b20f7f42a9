"""The demo's dataset series: each periodic publication of the demo (the
same institution, type, programme and frequency, as the observatory groups
them) becomes a ``dataset_series`` record, and its releases name it in
``in_series``. Series come first in the load: a release may only name a
series that exists."""
from __future__ import annotations

from ckanext.ogpguatemala.observatory import timeliness

from . import records

# (institution, type, programme, frequency) -> name, title, description, keywords
SERIES = {
    ("cpcc", "dataset", "", "ANNUAL"): (
        "demo-serie-informe-acceso-informacion-publica",
        "Informes anuales de acceso a la información pública (demostración)",
        "Los informes anuales de la CPCC sobre el cumplimiento de la Ley de Acceso a la "
        "Información Pública, uno por año.",
        ["acceso a la información", "informe anual"]),
    ("sesan", "sinsan-nutricion", "", "ANNUAL"): (
        "demo-serie-desnutricion-aguda",
        "Desnutrición aguda en menores de cinco años, serie anual (demostración)",
        "Los casos de desnutrición aguda por departamento que SESAN publica cada año en el "
        "SINSAN.",
        ["desnutrición aguda", "SINSAN"]),
    ("conamigua", "conamigua-informe", "", "ANNUAL_3"): (
        "demo-serie-informe-cuatrimestral-mmm",
        "Informes cuatrimestrales de rendición de cuentas de la MMM (demostración)",
        "Los informes de rendición de cuentas de la Mesa Multisectorial de Migración, uno por "
        "cuatrimestre.",
        ["migración", "rendición de cuentas"]),
    ("mingob", "dataset", "", "ANNUAL_3"): (
        "demo-serie-presupuesto-caimus",
        "Presupuesto de los CAIMUS, serie cuatrimestral (demostración)",
        "La ejecución presupuestaria de los Centros de Apoyo Integral para la Mujer "
        "Sobreviviente de Violencia, uno por cuatrimestre.",
        ["CAIMUS", "presupuesto"]),
    ("mintrab", "mintrab-movilidad", "movilidad_laboral_eeuu", "MONTHLY"): (
        "demo-serie-movilidad-laboral-eeuu",
        "Informes mensuales de movilidad laboral — Estados Unidos (demostración)",
        "Los informes estadísticos mensuales del Programa de Movilidad Laboral del MINTRAB "
        "para Estados Unidos.",
        ["movilidad laboral", "informe mensual"]),
    ("mintrab", "mintrab-movilidad", "trabajadores_temporales_canada", "MONTHLY"): (
        "demo-serie-movilidad-laboral-canada",
        "Informes mensuales de movilidad laboral — Canadá (demostración)",
        "Los informes estadísticos mensuales del programa de trabajadores temporales del "
        "MINTRAB para Canadá.",
        ["movilidad laboral", "informe mensual"]),
}

# What a series carries of its first release.
SHARED = ("owner_org", "frequency", "ogp_milestones", "contact_name", "contact_email",
          "license_id", "language")


def _key(item: dict) -> str:
    return timeliness.series_key(dict(item, organization={"name": item["owner_org"]}))


def attach(items: list[dict]) -> list[dict]:
    """The series of ``items`` first, then the items, each periodic release
    naming its series (by URL name) in ``in_series``."""
    first: dict[str, dict] = {}
    out = []
    for item in items:
        spec = SERIES.get(tuple(_key(item).split("|"))) if item.get("kind") != "oc4ids" else None
        if spec is None:
            out.append(item)
            continue
        first.setdefault(spec[0], item)
        out.append(dict(item, in_series=[spec[0]]))
    series = []
    for spec in SERIES.values():
        if spec[0] not in first:
            continue
        release = first[spec[0]]
        fields = {k: release[k] for k in SHARED if k in release}
        series.append(records.dataset(spec[2], type="dataset_series", name=spec[0],
                                      title=spec[1], tags=records.tags(*spec[3]), **fields))
    return series + out
