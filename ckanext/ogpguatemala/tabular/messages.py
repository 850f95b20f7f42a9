"""The messages of the report check, as gettext ids (English, ``N_``-marked).

Each error of a result carries ``Msg(...).as_dict()``: ``{"msgid", "params"}``,
translated when it is shown (:func:`ckanext.ogpguatemala.messages.render`).
:data:`TEXTS` maps a message key (mostly the error code) to its id; :func:`msg`
builds the message. Params are language-neutral (numbers, codes, the cell as
the file wrote it) or messages themselves (the hints below), never one value
per language.
"""
from __future__ import annotations

from ckanext.ogpguatemala.messages import Msg, N_

TEXTS = {
    # ---- the file as a whole (the result's only error)
    "file-too-large": N_("The file is %(size)s MB; the limit is %(limit)s MB."),
    "too-many-cells": N_(
        "The sheet has more than %(limit)s cells; split the report or save it as CSV."
    ),
    "internal-error": N_(
        "The file check could not be completed because of an internal error; "
        "please tell the portal team."
    ),
    "file-not-found": N_("File not found: '%(path)s'."),
    "source-error": N_("The file could not be read: %(detail)s"),
    "empty-file": N_("The file is empty."),
    "not-tabular": N_(
        "The file is not a CSV or XLSX table (it looks like %(kind)s). Save it as CSV or XLSX."
    ),
    "xls-not-supported": N_(
        "The old Excel format (.xls) is not supported. Save it as .xlsx or CSV."
    ),
    "invalid-xlsx": N_(
        "The file could not be opened as an XLSX workbook (%(detail)s). Save it as .xlsx or CSV."
    ),
    "invalid-ods": N_(
        "The file could not be opened as an ODS spreadsheet (%(detail)s). "
        "Save it as .ods, .xlsx or CSV."
    ),
    "encoding-error": N_(
        "The text could not be read: it is neither UTF-8 nor Windows-1252. "
        "Save the file as UTF-8 CSV."
    ),
    "malformed-csv": N_("The CSV is malformed near row %(row)s: %(detail)s"),
    "no-header": N_(
        "No header row with the report's columns was found (e.g. %(examples)s). "
        "The first row must hold the column names."
    ),
    "no-data-rows": N_("The file has a header but no data rows."),
    # ---- the header and the shape of rows
    "missing-label": N_("The required column '%(field)s' (%(title)s) is missing."),
    "duplicate-label": N_(
        "Column '%(label)s' repeats '%(field)s', already given by column '%(first)s'; "
        "only the first is used."
    ),
    "extra-cell": N_(
        "Row %(row)s: it has more cells (%(cells)s) than header labels (%(labels)s); "
        "check delimiters or quoting."
    ),
    "unclosed-quote": N_(
        "Row %(row)s: a cell spans %(lines)s lines and contains delimiters; "
        "a quotation mark (\") was probably left open."
    ),
    # ---- warnings: rows and sheets read as a person would, not as records
    "other-sheets": N_(
        "The report was read from sheet '%(sheet)s'; the other sheets (%(others)s) were ignored."
    ),
    "title-row": N_("Row %(rows)s, above the header, was read as a title and ignored."),
    "title-rows": N_("Rows %(rows)s, above the header, were read as a title and ignored."),
    "blank-row": N_("Row %(rows)s is blank and was skipped."),
    "blank-rows": N_("Rows %(rows)s are blank and were skipped."),
    "trailing-blank-row": N_("Row %(rows)s, below the table, is blank and was ignored."),
    "trailing-blank-rows": N_("Rows %(rows)s, below the table, are blank and were ignored."),
    "note-row": N_(
        "Row %(row)s, below the table, was read as a note ('%(value)s') and ignored."
    ),
    "total-row": N_(
        "Row %(row)s, below the table, was read as a total line ('%(value)s') and ignored."
    ),
    # ---- cells (Frictionless errors, explained)
    "required": N_(
        "Row %(row)s, column '%(field)s': the cell is empty and the value is required."
    ),
    "enum": N_(
        "Row %(row)s, column '%(field)s': '%(value)s' is not an accepted value; use %(allowed)s."
    ),
    "enum-sexo-ambiguous": N_(
        "Row %(row)s, column '%(field)s': '%(value)s' is ambiguous (Mujer or Masculino?) "
        "because the column does not consistently use H/M or M/F; write 'Hombre' or 'Mujer'."
    ),
    "minimum": N_(
        "Row %(row)s, column '%(field)s': %(value)s is below the allowed minimum (%(limit)s)."
    ),
    "maximum": N_(
        "Row %(row)s, column '%(field)s': %(value)s is above the allowed maximum (%(limit)s)."
    ),
    "pattern": N_("Row %(row)s, column '%(field)s': '%(value)s' is not %(expected)s."),
    "constraint": N_(
        "Row %(row)s, column '%(field)s': '%(value)s' breaks the %(constraint)s constraint."
    ),
    "type-integer": N_("Row %(row)s, column '%(field)s': '%(value)s' is not a whole number."),
    "type-number": N_("Row %(row)s, column '%(field)s': '%(value)s' is not a number."),
    "type": N_("Row %(row)s, column '%(field)s': '%(value)s' is not of type %(type)s."),
    "other": N_("Row %(row)s, column '%(field)s': %(note)s"),
    # ---- INE places
    "unknown-municipality": N_(
        "Row %(row)s, column 'municipio_origen': %(value)s is not an INE municipality code."
    ),
    "municipality-department-mismatch": N_(
        "Row %(row)s, column 'municipio_origen': municipality %(value)s (%(name)s) belongs to "
        "department %(mun_dep)s (%(mun_dep_name)s), not %(dep)s (%(dep_name)s)."
    ),
    # ---- parts of the messages above (params that are messages)
    "binary": N_("binary data"),
    "not-a-zip": N_("not a zip file"),
    "unsupported-source": N_("unsupported source %(type)s"),
    "one-of": N_("one of: %(values)s"),
    "in-format": N_("in the format %(pattern)s"),
    # what an enum column accepts, where listing the enum would not help
    "hint-pais_destino": N_("an ISO 3166-1 alpha-2 country code (e.g. US, CA, MX)"),
    "hint-moneda_salario": N_("an ISO 4217 currency code (e.g. USD, CAD, GTQ)"),
    # what a pattern column accepts
    "hint-departamento_origen": N_(
        "a 2-digit INE department code (01 to 22) or a department name"
    ),
    "hint-municipio_origen": N_(
        "a 4-digit INE municipality code (e.g. 1301) or the name of a municipality "
        "in the department"
    ),
}


def msg(key: str, **params) -> Msg:
    """The message ``key`` of :data:`TEXTS` with its params."""
    return Msg(TEXTS[key], params)


def hint(field: str) -> Msg | None:
    """What ``field`` accepts, in words, if it has such a hint."""
    key = "hint-" + (field or "")
    return msg(key) if key in TEXTS else None
