"""Centroids and bounding boxes of Guatemala and its departments, for
``dcat:centroid`` / ``dcat:bbox`` of the feeds' ``dct:Location`` nodes.

The only coordinates the portal ships are the departments' outline
(``data/geo/gt-departamentos.geojson``: Natural Earth 1:10m admin-1,
generalised to about 200 m; see ``data/geo/SOURCE.md``). From it:

- a department's bounding box is the box around its polygon, and its
  centroid the area-weighted centre of the polygon (planar, in WGS 84
  longitude/latitude, as GIS tools compute it);
- Guatemala's are those of the 22 departments together.

Municipalities have no outline in the portal, so none is given for them.
Values are rounded to 4 decimals (about 11 m), the outline's own precision.
Pure Python, no CKAN imports.
"""
from __future__ import annotations

import functools
import json

from ckanext.ogpguatemala.portal.display import OUTLINE_FILE

COUNTRY = "GTM"
DIGITS = 4


def _polygons(geometry):
    """The polygons (lists of rings) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def _ring_moments(ring):
    """(signed area, x moment, y moment) of a closed ring (shoelace)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return area / 2, cx / 6, cy / 6


def _moments(polygons):
    """(area, x moment, y moment) of polygons, holes subtracted, whatever
    the rings' orientation."""
    total = mx = my = 0.0
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            area, x, y = _ring_moments(ring)
            sign = (1 if area > 0 else -1) * (1 if index == 0 else -1)
            total += sign * area
            mx += sign * x
            my += sign * y
    return total, mx, my


class Shape:
    """A place's extent: bounding box (west, south, east, north) and the
    moments its centroid comes from."""

    def __init__(self, polygons):
        points = [p for polygon in polygons for ring in polygon for p in ring]
        self.box = (min(p[0] for p in points), min(p[1] for p in points),
                    max(p[0] for p in points), max(p[1] for p in points))
        self.area, self.mx, self.my = _moments(polygons)

    @classmethod
    def union(cls, shapes):
        shape = cls.__new__(cls)
        boxes = [s.box for s in shapes]
        shape.box = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                     max(b[2] for b in boxes), max(b[3] for b in boxes))
        shape.area = sum(s.area for s in shapes)
        shape.mx = sum(s.mx for s in shapes)
        shape.my = sum(s.my for s in shapes)
        return shape

    def centroid(self) -> tuple[float, float]:
        """(longitude, latitude)."""
        return round(self.mx / self.area, DIGITS), round(self.my / self.area, DIGITS)

    def centroid_wkt(self) -> str:
        return "POINT(%s %s)" % self.centroid()

    def bbox_wkt(self) -> str:
        west, south, east, north = (round(v, DIGITS) for v in self.box)
        corners = [(west, south), (east, south), (east, north), (west, north), (west, south)]
        return "POLYGON((%s))" % ", ".join("%s %s" % c for c in corners)


@functools.lru_cache(maxsize=1)
def shapes() -> dict[str, Shape]:
    """``{INE department code: Shape, "GTM": Shape of the country}``."""
    with open(OUTLINE_FILE, encoding="utf-8") as f:
        features = json.load(f)["features"]
    out = {f["properties"]["code"]: Shape(_polygons(f["geometry"])) for f in features}
    out[COUNTRY] = Shape.union(list(out.values()))
    return out


def shape(code: str) -> Shape | None:
    """The extent of a department (two-digit INE code) or of the country
    (``"GTM"``); None for anything else (municipalities have no outline)."""
    return shapes().get(code)
