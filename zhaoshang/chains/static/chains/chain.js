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
  function render() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chain-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chain-chart"));
      if (!source) { return; }
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
      chart.setOption(JSON.parse(source.textContent), true);
      chart.off("click");
      chart.on("click", function (params) {
        if (params.data && params.data.nodeId) { panelFor(params.data.nodeId); }
      });
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
