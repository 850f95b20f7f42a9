"""Tabular check of MINTRAB's monthly labour-mobility report.

6th Open Government Action Plan, commitment 6, milestone 2: a monthly report
with, per worker, destination country, sex, visa type, age, sector, work
performed, self-identified cultural identity, wage and place of origin
(department and municipality). The columns, types and constraints are the
Frictionless Table Schema in ``data/mintrab-movilidad.tableschema.json``.

:func:`validate_report` takes the file as ministries produce it and returns a
plain, JSON-serialisable result; it never raises for a bad file. It reads
the file as a stream (memory does not grow with the file) and, on request,
writes the clean records as CSV for the DataStore. The steps, one module
each:

- :mod:`.reading`: a file -> a stream of rows, :func:`.reading.open_table`
  (size limit, format by content, encodings, delimiters, XLSX, the sheet to
  read), shared with the other table checks; :mod:`.ods` for ODS;
- :mod:`.header`: which row is the header, which column is which field;
- :mod:`.layout`: rows that are not records (blank, notes, totals);
- :mod:`.normalise`: the spellings ministries use -> the schema's values;
- :mod:`.check`: Frictionless validation in chunks, place cross-checks,
  the result;
- :mod:`.messages`: the messages of the result (gettext ids);
- :mod:`.schema`: the Table Schema file.

Pure Python: no CKAN imports. ``geo`` (INE codes) is imported lazily.
"""
from ckanext.ogpguatemala.tabular.check import MAX_ERRORS, validate_report
from ckanext.ogpguatemala.tabular.header import HEADER_SYNONYMS
from ckanext.ogpguatemala.tabular.reading import MAX_BYTES, MAX_XLSX_CELLS, open_table
from ckanext.ogpguatemala.tabular.schema import OPTIONAL_COLUMNS, SCHEMA_PATH, load_schema

__all__ = [
    "SCHEMA_PATH",
    "MAX_BYTES",
    "MAX_ERRORS",
    "MAX_XLSX_CELLS",
    "HEADER_SYNONYMS",
    "OPTIONAL_COLUMNS",
    "load_schema",
    "open_table",
    "validate_report",
]
