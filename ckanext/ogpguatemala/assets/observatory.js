/* The observatory's charts (/observatorio), drawn with Chart.js from the
 * accessible table beside each chart, so the page, the chart and the table
 * always show the same numbers and the labels are in the page's language.
 *
 *   <canvas id="X" role="img" aria-label="…"></canvas>
 *   <table data-ogp-chart="X" data-ogp-kind="bar|line" [data-ogp-axis="y"]
 *          [data-ogp-max="100"]>
 *     <thead><tr><th>label column</th><th data-ogp-series>series…</th></tr></thead>
 *     <tbody><tr data-key="id" [data-label="short label"]><th>…</th>
 *       <td data-value="33">33 %</td></tr></tbody>
 *   </table>
 *
 * Every column whose header has data-ogp-series becomes a data set named by
 * the header's text; each row with a data-key is a category, named by its
 * data-label or else its first cell's text. An empty data-value means "no
 * figure" (a gap, not a zero).
 */
(function () {
  "use strict";

  // Each passes 3:1 against the white background (WCAG 1.4.11).
  var PALETTE = ["#005a9c", "#a34700", "#2e7d32", "#6a1b9a", "#ad1457", "#37474f"];
  var TEXT = "#212529";
  var GRID = "#d0d4d9";

  function text(node) {
    return (node.textContent || "").replace(/\s+/g, " ").trim();
  }

  function value(cell) {
    var raw = cell ? cell.getAttribute("data-value") : null;
    if (raw === null || raw === "") {
      return null;
    }
    var number = Number(raw);
    return isNaN(number) ? null : number;
  }

  function readTable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    var columns = [];
    for (var i = 0; i < headers.length; i++) {
      if (headers[i].hasAttribute("data-ogp-series")) {
        columns.push({ index: i, label: text(headers[i]) });
      }
    }
    var rows = table.tBodies.length ? table.tBodies[0].rows : [];
    var labels = [];
    var series = columns.map(function () { return []; });
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r];
      if (!row.hasAttribute("data-key")) {
        continue;
      }
      labels.push(row.getAttribute("data-label") || text(row.cells[0]));
      columns.forEach(function (column, k) {
        series[k].push(value(row.cells[column.index]));
      });
    }
    return { labels: labels, columns: columns, series: series };
  }

  function draw(table) {
    var canvas = document.getElementById(table.getAttribute("data-ogp-chart"));
    if (!canvas || typeof window.Chart === "undefined") {
      return;
    }
    var kind = table.getAttribute("data-ogp-kind") || "bar";
    var horizontal = table.getAttribute("data-ogp-axis") === "y";
    var max = table.getAttribute("data-ogp-max");
    var data = readTable(table);
    var datasets = data.columns.map(function (column, k) {
      var colour = PALETTE[k % PALETTE.length];
      return {
        label: column.label,
        data: data.series[k],
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: kind === "line" ? 2 : 0,
        pointRadius: kind === "line" ? 3 : undefined,
        spanGaps: false
      };
    });
    var valueAxis = {
      beginAtZero: true,
      ticks: { color: TEXT, precision: 0 },
      grid: { color: GRID }
    };
    if (max) {
      valueAxis.max = Number(max);
    }
    var categoryAxis = { ticks: { color: TEXT, autoSkip: true }, grid: { display: false } };
    new window.Chart(canvas, {
      type: kind,
      data: { labels: data.labels, datasets: datasets },
      options: {
        locale: document.documentElement.lang || "es",
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches
          ? false : undefined,
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { display: datasets.length > 1, labels: { color: TEXT } }
        }
      }
    });
  }

  function init() {
    var tables = document.querySelectorAll("table[data-ogp-chart]");
    for (var i = 0; i < tables.length; i++) {
      draw(tables[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
