"""Columns of any table for :mod:`.quality`: types inferred from the data,
or given by a Table Schema, and the messages of the check.

Types are inferred the way Frictionless's detector does it (a candidate type
wins when it reads at least 90 % of a column's non-empty cells; candidates
in the order date, integer, number, boolean, string), with Frictionless's
own field types reading dates and booleans and checking schema fields
(types and constraints: ``Field.read_cell``). What Frictionless does not do
is ours: numbers as Guatemalan files write them ("1,234.5", and "1.234,5"
or "45,3" in a column that writes decimals with a comma), digit strings with
leading zeros taken for codes ("01", "0901"), INE department and municipality
codes (:mod:`ckanext.ogpguatemala.geo`), and header labels matched without
case, accents or filler words, with synonyms (``x-ogp-synonyms``).

Custom keys of a Table Schema understood here:

- field ``x-ogp-synonyms``: other header labels naming the field;
- field ``x-ogp-ine``: ``"department"`` or ``"municipality"``: the cell is an
  INE code (written without its leading zero is accepted), which must exist
  and, for a municipality, belong to the row's department;
- field ``x-ogp-fold``: compare the cell without case and accents (its
  ``enum`` is written folded);
- schema ``x-ogp-other-columns``: a field descriptor (without name) that
  every column the schema does not name must satisfy.

Pure Python: no CKAN imports.
"""
from __future__ import annotations

import math
import re

from ckanext.ogpguatemala.messages import Msg, N_
from ckanext.ogpguatemala.tabular.messages import msg
from ckanext.ogpguatemala.text import fold

# ---------------------------------------------------------------------------
# Messages

QTEXTS = {
    "no-table-header": N_(
        "No header row was found: the first row of the table must hold the column names."
    ),
    "blank-label": N_("Column %(position)s has no label in the header (row %(row)s)."),
    "repeated-label": N_(
        "Column %(position)s repeats the label '%(label)s' of column %(first)s."
    ),
    "duplicate-row": N_("Row %(row)s repeats an earlier row cell for cell."),
    "more-warnings": N_("%(count)s more warnings like the ones above are not listed."),
    "mixed-integer": N_(
        "Column '%(column)s': %(count)s of %(total)s values are not whole numbers "
        "(rows %(rows)s: %(values)s)."
    ),
    "mixed-number": N_(
        "Column '%(column)s': %(count)s of %(total)s values are not numbers "
        "(rows %(rows)s: %(values)s)."
    ),
    "mixed-date": N_(
        "Column '%(column)s': %(count)s of %(total)s values are not dates "
        "(rows %(rows)s: %(values)s)."
    ),
    "mixed-boolean": N_(
        "Column '%(column)s': %(count)s of %(total)s values are not yes/no values "
        "(rows %(rows)s: %(values)s)."
    ),
    "type-date": N_("Row %(row)s, column '%(field)s': '%(value)s' is not a date."),
    "type-boolean": N_("Row %(row)s, column '%(field)s': '%(value)s' is not a yes/no value."),
    "unknown-department": N_(
        "Row %(row)s, column '%(field)s': %(value)s is not an INE department code."
    ),
    "unknown-municipality": N_(
        "Row %(row)s, column '%(field)s': %(value)s is not an INE municipality code."
    ),
    "municipality-elsewhere": N_(
        "Row %(row)s, column '%(field)s': municipality %(value)s (%(name)s) belongs to "
        "department %(mun_dep)s (%(mun_dep_name)s), not %(dep)s (%(dep_name)s)."
    ),
    "hint-ine-department": N_("a 2-digit INE department code (01 to 22)"),
    "hint-ine-municipality": N_("a 4-digit INE municipality code (e.g. 1301)"),
}


def qmsg(key: str, **params) -> Msg:
    return Msg(QTEXTS[key], params)


def clip(value: str, limit: int = 40) -> str:
    """A cell as quoted in a message: one line, at most ``limit`` characters."""
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


# ---------------------------------------------------------------------------
# Values

CONFIDENCE = 0.9
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DOT_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_COMMA_DECIMAL = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:\.\d{3})+)(?:,\d+)?")
_CODE = re.compile(r"0\d+")
_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})T00:00(?::00)?")
_DATE_LIKE = re.compile(r"\d{1,4}[-/]\d{1,2}[-/]\d{1,4}(?:T00:00(?::00)?)?")
DATE_FORMATS = ("default", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")
TRUE_VALUES = ["true", "True", "TRUE", "sí", "Sí", "SÍ", "si", "Si", "SI"]
FALSE_VALUES = ["false", "False", "FALSE", "no", "No", "NO"]


def number(value: str, comma: bool) -> str | None:
    """``value`` as PostgreSQL reads a number ('.' decimal, no grouping), or
    None. ``comma``: the column writes decimals with a comma."""
    if comma:
        if _COMMA_DECIMAL.fullmatch(value):
            return value.replace(".", "").replace(",", ".")
        return None
    if _PLAIN.fullmatch(value):
        return value
    if _DOT_GROUPED.fullmatch(value):
        return value.replace(",", "")
    return None


def _is_whole(text: str) -> bool:
    return "." not in text and "e" not in text.lower()


def _field(descriptor: dict):
    from frictionless import Field  # lazy: a heavy import

    return Field.from_descriptor(descriptor)


def _date_reader(fmt: str):
    field = _field({"name": "d", "type": "date", "format": fmt})

    def read(value: str) -> str | None:
        match = _MIDNIGHT.fullmatch(value)
        parsed, notes = field.read_cell(match.group(1) if match else value)
        return None if notes or parsed is None else parsed.isoformat()
    return read


def _boolean_reader():
    field = _field({"name": "b", "type": "boolean",
                    "trueValues": TRUE_VALUES, "falseValues": FALSE_VALUES})

    def read(value: str) -> str | None:
        parsed, notes = field.read_cell(value)
        return None if notes or parsed is None else ("true" if parsed else "false")
    return read


class Inference:
    """What the first rows of a column say about its type."""

    def __init__(self) -> None:
        self.values = 0
        self.code = False  # digit strings that are codes, not quantities
        self.numbers = {False: 0, True: 0}   # readable with '.' / ',' decimals
        self.wholes = {False: 0, True: 0}
        self.dates = dict.fromkeys(DATE_FORMATS, 0)
        self.booleans = 0

    def add(self, value: str, readers: dict) -> None:
        if not value:
            return
        self.values += 1
        if _CODE.fullmatch(value) or (len(value) > 15 and value.isdigit()):
            self.code = True  # "0901", or an identifier too long for a bigint
        for comma in (False, True):
            text = number(value, comma)
            if text is not None:
                self.numbers[comma] += 1
                self.wholes[comma] += _is_whole(text)
        if _DATE_LIKE.fullmatch(value):
            for fmt in DATE_FORMATS:
                if readers[fmt](value) is not None:
                    self.dates[fmt] += 1
        elif not value[0].isdigit() and readers["boolean"](value) is not None:
            self.booleans += 1

    def comma(self) -> bool | None:
        """Whether the column writes decimals with a comma; None if its
        numbers read the same either way ("1.250": 1.25 or 1250?)."""
        if self.numbers[True] == self.numbers[False]:
            return None
        return self.numbers[True] > self.numbers[False]

    def decide(self, file_comma: bool = False) -> tuple[str, str | None, bool]:
        """(Table Schema type, date format, comma decimals). ``file_comma``:
        other columns of the file write decimals with a comma."""
        need = self.values * CONFIDENCE
        comma = self.comma()
        comma = file_comma if comma is None else comma
        if not self.values:
            return "string", None, comma
        fmt = max(DATE_FORMATS, key=lambda f: self.dates[f])
        if self.dates[fmt] >= need:
            return "date", fmt, comma
        if not self.code and self.wholes[comma] >= need:
            return "integer", None, comma
        if not self.code and self.numbers[comma] >= need:
            return "number", None, comma
        if self.booleans >= need:
            return "boolean", None, comma
        return "string", None, comma


def readers() -> dict:
    """The date and boolean readers (Frictionless fields), built once per check."""
    out = {fmt: _date_reader(fmt) for fmt in DATE_FORMATS}
    out["boolean"] = _boolean_reader()
    return out


MAX_EXAMPLES = 3
_MEMO = 4096


class Column:
    """One column: its name, label, type, and the cells that misfit it."""

    def __init__(self, index: int, name: str, label: str, inferred: tuple, rdrs: dict) -> None:
        self.index, self.name, self.label = index, name, label
        self.type, fmt, self.comma = inferred
        self.inferred_type = self.type
        self.date = rdrs[fmt] if fmt else None
        self.boolean = rdrs["boolean"]
        self.check: FieldCheck | None = None
        self.values = 0
        self.misfits = 0
        self.examples: list[tuple[int, str]] = []
        self._memo: dict[str, str | None] = {}

    def _read(self, value: str) -> str | None:
        if self.type in ("integer", "number"):
            text = number(value, self.comma)
            if text is not None and self.type == "integer" and not _is_whole(text):
                self.type = "number"  # "3.5" in a column of whole numbers
            return text
        if self.type == "date":
            return self.date(value)
        if self.type == "boolean":
            return self.boolean(value)
        return value

    def observe(self, value: str, row: int) -> str:
        """The cell as the clean file writes it; counts it if it misfits."""
        if not value:
            return ""
        self.values += 1
        if self.type == "string":
            return value
        if value in self._memo:
            text = self._memo[value]
            if text is not None and self.type == "integer" and not _is_whole(text):
                self.type = "number"
        else:
            text = self._read(value)
            if len(self._memo) < _MEMO:
                self._memo[value] = text
        if text is None:
            self.misfits += 1
            if len(self.examples) < MAX_EXAMPLES:
                self.examples.append((row, value))
            return value
        return text

    def final_type(self) -> str:
        if self.check is not None:
            return self.check.type
        return self.type if not self.misfits else "string"

    def mixed_warning(self) -> tuple[int, Msg] | None:
        if not self.misfits or self.check is not None:
            return None
        rows = ", ".join(str(r) for r, _v in self.examples)
        if self.misfits > len(self.examples):
            rows += ", …"
        values = ", ".join("'%s'" % clip(v, 20) for _r, v in self.examples)
        return self.examples[0][0], qmsg(
            "mixed-" + self.type, column=self.label, count=self.misfits, total=self.values,
            rows=rows, values=values)


# ---------------------------------------------------------------------------
# Table Schema fields

_FILLER = frozenset("de del la el los las en y of the".split())
_BRACKETS = re.compile(r"[(\[{][^)\]}]*[)\]}]")


def label_key(label: str) -> str:
    """'Código de departamento (INE)' -> 'codigo_departamento'."""
    words = (fold(_BRACKETS.sub(" ", str(label))) or fold(label)).split()
    return "_".join(w for w in words if w not in _FILLER) or "_".join(words)


def label_index(schema: dict) -> dict[str, str]:
    """{label key: field name} of a Table Schema: names, titles, synonyms."""
    index: dict[str, str] = {}
    for field in schema.get("fields", []):
        for label in (field["name"], field.get("title", ""), *field.get("x-ogp-synonyms", ())):
            key = label_key(label)
            if key:
                index.setdefault(key, field["name"])
    return index


def required_fields(schema: dict) -> list[dict]:
    """The fields whose column a file must have: those whose cells are required."""
    return [f for f in schema.get("fields", []) if f.get("constraints", {}).get("required")]


_TYPE_KEYS = {"integer": "type-integer", "number": "type-number"}
_INE_WIDTH = {"department": 2, "municipality": 4}


class FieldCheck:
    """A schema field bound to a column: reads each cell with Frictionless."""

    def __init__(self, descriptor: dict) -> None:
        self.descriptor = descriptor
        self.name = descriptor["name"]
        self.type = descriptor.get("type", "string")
        self.ine = descriptor.get("x-ogp-ine")
        self.fold = bool(descriptor.get("x-ogp-fold"))
        plain = {k: v for k, v in descriptor.items() if not k.startswith("x-")}
        self.field = _field(plain)
        self.constraints = descriptor.get("constraints", {})
        self._memo: dict[str, tuple] = {}

    def read(self, value: str, comma: bool) -> tuple[str, list[str], object]:
        """(cell for the clean file, the broken rules, the value read)."""
        if value in self._memo:
            return self._memo[value]
        cell = value
        if self.ine and value.isdigit() and len(value) < _INE_WIDTH[self.ine]:
            cell = value.zfill(_INE_WIDTH[self.ine])
        elif self.type in ("integer", "number") and value:
            cell = number(value, comma) or value
        elif self.type == "date" and value:
            match = _MIDNIGHT.fullmatch(value)
            cell = match.group(1) if match else value
        parsed, notes = self.field.read_cell(fold(cell) if self.fold and cell else cell)
        if parsed is not None and not notes:
            if self.type == "boolean":
                cell = "true" if parsed else "false"
            elif self.type in ("date", "datetime"):
                cell = parsed.isoformat()
            elif self.type == "number" and isinstance(parsed, float) and not math.isfinite(parsed):
                notes = {"type": "not finite"}
        result = (cell, sorted(notes or ()), parsed)
        if len(self._memo) < _MEMO:
            self._memo[value] = result
        return result

    def message(self, rule: str, row: int, value: str) -> tuple[str, Msg]:
        """(error code, message) for a broken rule."""
        cell = {"row": row, "field": self.name, "value": clip(value, 60)}
        if rule == "type":
            key = _TYPE_KEYS.get(self.type)
            if key:
                return "type-error", msg(key, **cell)
            if self.type in ("date", "boolean"):
                return "type-error", qmsg("type-" + self.type, **cell)
            return "type-error", msg("type", type=self.type, **cell)
        code = "constraint-error"
        if rule == "required":
            return code, msg("required", row=row, field=self.name)
        if rule in ("minimum", "maximum"):
            return code, msg(rule, limit=self.constraints[rule], **cell)
        if rule == "enum":
            values = ", ".join(str(v) for v in self.constraints["enum"])
            return code, msg("enum", allowed=msg("one-of", values=values), **cell)
        if rule == "pattern":
            expected = (qmsg("hint-ine-" + self.ine) if self.ine
                        else msg("in-format", pattern=self.constraints["pattern"]))
            return code, msg("pattern", expected=expected, **cell)
        return code, msg("constraint", constraint=rule, **cell)


def place_errors(checks: list[tuple[FieldCheck, str, int]], row: int) -> list[tuple[str, str, Msg]]:
    """INE cross-checks of one row's valid cells: [(field, code, message)].
    ``checks``: (field, cell as read, column index) of the x-ogp-ine fields."""
    from ckanext.ogpguatemala import geo  # lazy: reads the INE list once

    out = []
    dep = None
    for check, cell, _j in checks:
        if check.ine == "department" and cell:
            if cell in geo.DEPARTMENTS:
                dep = cell
            else:
                out.append((check.name, "unknown-department",
                            qmsg("unknown-department", row=row, field=check.name, value=cell)))
    for check, cell, _j in checks:
        if check.ine != "municipality" or not cell:
            continue
        entry = geo.MUNICIPALITIES.get(cell)
        if entry is None:
            out.append((check.name, "unknown-municipality",
                        qmsg("unknown-municipality", row=row, field=check.name, value=cell)))
        elif dep and entry[1] != dep:
            out.append((check.name, "municipality-department-mismatch", qmsg(
                "municipality-elsewhere", row=row, field=check.name, value=cell,
                name=entry[0], mun_dep=entry[1], mun_dep_name=geo.DEPARTMENTS.get(entry[1], "?"),
                dep=dep, dep_name=geo.DEPARTMENTS.get(dep, "?"))))
    return out
