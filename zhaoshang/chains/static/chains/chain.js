// The chain map: ECharts charts from <div data-chain-chart="ID"> with their option in a json_script; a click on a
// node loads its panel (htmx) into #node-panel. No inline script (CSP).
(function () {
  "use strict";
  function panelFor(nodeId) {
    var panel = document.getElementById("node-panel");
    if (!panel || !nodeId || !window.htmx) { return; }
    var url = panel.getAttribute("data-url").replace("/0/", "/" + nodeId + "/");
    var town = panel.getAttribute("data-town");
    window.htmx.ajax("GET", url + (town ? "?town=" + town : ""), { target: "#node-panel", swap: "innerHTML" });
  }
  function nearestNode(chart, x, y) {
    var series = chart.getModel().getSeriesByIndex(0);
    var data = series && series.getData();
    if (!data) { return; }
    var best = -1, bestDistance = Infinity;
    for (var i = 0; i < data.count(); i++) {
      var point = chart.convertToPixel({ seriesIndex: 0 }, data.getItemLayout(i));
      var distance = Math.hypot(point[0] - x, point[1] - y);
      if (distance < bestDistance) { best = i; bestDistance = distance; }
    }
    if (best < 0) { return; }
    var item = data.getRawDataItem(best);
    var radius = Math.max(8, (item.symbolSize || 10) / 2 + 4);
    if (item.nodeId && bestDistance <= radius) { panelFor(item.nodeId); }
  }
  function render() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chain-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chain-chart"));
      if (!source) { return; }
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
      chart.setOption(JSON.parse(source.textContent), true);
      var option = chart.getOption();
      var graph = option.series && option.series[0] && option.series[0].type === "graph";
      chart.off("click");
      chart.getZr().off("click");
      if (graph) {
        // A node's outgoing edges start at its centre and are drawn over it: take the nearest node to the
        // click (within its symbol) rather than whatever element ECharts hit, so a click on a node always opens it.
        chart.getZr().on("click", function (event) { nearestNode(chart, event.offsetX, event.offsetY); });
      } else {
        chart.on("click", function (params) {
          if (params.data && params.data.nodeId) { panelFor(params.data.nodeId); }
        });
      }
    });
  }
  window.addEventListener("resize", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chain-chart]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  });
  document.addEventListener("click", function (event) {
    var row = event.target.closest("[data-node-id]");
    if (row && !event.target.closest("a, button, form")) { panelFor(row.getAttribute("data-node-id")); }
  });
  document.addEventListener("DOMContentLoaded", render);
})();
