"""The observatory's figures as tables, for CSV and JSON downloads: one
table per kind of figure, flat columns, the same values the pages show."""
from __future__ import annotations

import csv
import io

TABLES = ("milestones", "commitments", "institutions", "timeliness", "publications")


def _join(values) -> str:
    return " ".join(values or [])


def rows(data: dict, name: str) -> tuple[list[str], list[list]]:
    """(columns, rows) of table ``name`` of ``figures()`` output."""
    if name == "milestones":
        columns = ["code", "commitment", "plan", "start", "due", "datasets",
                   "institutions_expected", "institutions_publishing", "last_publication",
                   "status", "estimate", "assessment", "assessment_date"]
        return columns, [[
            m["code"], m["commitment"], m["plan"], m["start"], m["due"], m["datasets"],
            _join(m["institutions_expected"]), _join(m["institutions_publishing"]),
            m["last_publication"], m["status"], m["estimate"],
            (m["assessment"] or {}).get("value"), (m["assessment"] or {}).get("date"),
        ] for m in data["milestones"]]
    if name == "commitments":
        columns = ["code", "plan", "milestones", "datasets", "institutions",
                   "institutions_publishing", "progress", "estimate", "openness"]
        return columns, [[
            c["code"], c["plan"], c["milestones"], c["datasets"], _join(c["institutions"]),
            _join(c["institutions_publishing"]), c["progress"], c["estimate"], c["openness"],
        ] for c in data["commitments"]]
    if name == "institutions":
        columns = ["rank", "name", "title", "datasets", "openness", "timeliness"]
        return columns, [[i["rank"], i["name"], i["title"], i["datasets"], i["openness"],
                          i["timeliness"]] for i in sorted(data["institutions"],
                                                           key=lambda i: i["rank"])]
    if name == "timeliness":
        columns = ["organization", "type", "programme", "series", "frequency", "first",
                   "last_expected", "expected", "covered", "timeliness", "missing"]
        cells = {"missing": lambda t: _join(t["missing"]),
                 "series": lambda t: (t.get("series") or {}).get("name", "")}
        return columns, [[cells[c](t) if c in cells else t[c] for c in columns]
                         for t in data["timeliness"]]
    if name == "publications":
        return ["month", "datasets"], [[p["month"], p["datasets"]] for p in data["publications"]]
    raise KeyError(name)


def as_csv(columns: list[str], table: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in table:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()
