/* The location of an OC4IDS project, drawn with Leaflet over the outline of
 * Guatemala's departments (Natural Earth, served by the portal at
 * /geo/departamentos.geojson): no tile server, nothing fetched from
 * outside the portal.
 *
 *   <div id="ogp-project-map" data-lat="14.6349" data-lon="-90.5069"
 *        data-outline="/geo/departamentos.geojson"
 *        data-departments="01,09" data-label="Project title"
 *        data-attribution="Departments: Natural Earth"></div>
 *
 * The departments named in data-departments (INE codes) are highlighted;
 * the point is a circle marker with the project's title as its tooltip.
 * Without JavaScript, or if the outline cannot be read, the page keeps the
 * coordinates written under the map.
 */
(function () {
  "use strict";

  var OUTLINE = { color: "#6c757d", weight: 1, fillColor: "#ffffff", fillOpacity: 1 };
  var HIGHLIGHT = { color: "#005a9c", weight: 1.5, fillColor: "#cfe2f3", fillOpacity: 1 };
  var POINT = { radius: 8, color: "#ffffff", weight: 2, fillColor: "#a34700", fillOpacity: 1 };

  function draw(container, outline) {
    var lat = parseFloat(container.getAttribute("data-lat"));
    var lon = parseFloat(container.getAttribute("data-lon"));
    if (isNaN(lat) || isNaN(lon)) {
      return;
    }
    var highlighted = (container.getAttribute("data-departments") || "").split(",");
    container.classList.add("ogp-map--ready");
    var map = L.map(container, { scrollWheelZoom: false, zoomSnap: 0.25 });
    map.attributionControl.setPrefix(false);
    var departments = L.geoJSON(outline, {
      attribution: container.getAttribute("data-attribution") || "Natural Earth",
      style: function (feature) {
        return highlighted.indexOf(feature.properties.code) >= 0 ? HIGHLIGHT : OUTLINE;
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.name, { sticky: true });
      }
    });
    var point = L.circleMarker([lat, lon], POINT);
    var label = container.getAttribute("data-label");
    if (label) {
      point.bindTooltip(label);
    }
    // The view first: Leaflet's vector renderer needs one to draw into.
    map.fitBounds(departments.getBounds().extend(point.getLatLng()), { padding: [8, 8] });
    departments.addTo(map);
    point.addTo(map);
    container.setAttribute("data-ogp-drawn", "true");
  }

  function start() {
    var container = document.getElementById("ogp-project-map");
    if (!container || typeof L === "undefined" || !window.fetch) {
      return;
    }
    fetch(container.getAttribute("data-outline"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("outline: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (outline) {
        draw(container, outline);
      })
      .catch(function (error) {
        if (window.console) {
          window.console.warn("ogp map:", error);
        }
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
