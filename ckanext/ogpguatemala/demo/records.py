"""What every demo dataset shares, and its files.

A demo record is the dict ``package_create`` takes, plus ``files``: the
resources to upload, each ``{"name", "format", "filename", "data": bytes}``.
"""
from __future__ import annotations

import csv
import io

from ckanext.ogpguatemala import geo

BASE = {
    "license_id": "CC-BY-4.0",
    "language": ["SPA"],
    "version": "1.0",
    "contact_name": "Unidad de Información Pública",
}

DISCLAIMER = (
    "**Conjunto de demostración del portal**: los datos son ilustrativos, generados "
    "para mostrar cómo se publica y se sigue el Plan de Acción; no son cifras oficiales. "
    "*Demonstration dataset: illustrative data, not official figures.*")


def dataset(notes: str, **fields) -> dict:
    """A demo record: the shared fields, ``fields``, and a description that
    starts with what the dataset shows and ends saying it is a demonstration."""
    return dict(BASE, notes="%s\n\n%s" % (notes.strip(), DISCLAIMER), **fields)


def tags(*names) -> list[dict]:
    return [{"name": n} for n in names]


def csv_bytes(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def csv_file(name: str, filename: str, header: list[str], rows) -> dict:
    return {"name": name, "format": "CSV", "filename": filename, "data": csv_bytes(header, rows)}


def department_rows(values: dict[str, object]) -> list[list]:
    """[code, name, value] per department, in INE code order."""
    return [[code, geo.department_name(code), values[code]] for code in sorted(values)]
