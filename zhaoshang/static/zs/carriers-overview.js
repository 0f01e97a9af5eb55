// 载体总览: the towns (administrator-loaded boundaries, registered locally) coloured by available land.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("town-geo");
    var source = document.getElementById("town-geo-data");
    if (!el || !source || !window.echarts) { return; }
    var geo = JSON.parse(source.textContent);
    window.echarts.registerMap("county-towns", geo.map);
    var max = Math.max.apply(null, geo.data.map(function (d) { return d.value; }).concat([1]));
    var chart = window.echarts.init(el);
    chart.setOption({
      title: geo.schematic ? { text: "示意图、非测绘成果", right: 8, bottom: 4, textStyle: { fontSize: 12, color: "#6c7a91", fontWeight: "normal" } } : undefined,
      tooltip: { trigger: "item", formatter: function (p) { return p.name + "：可供 " + (p.value || 0) + " 亩"; } },
      visualMap: { min: 0, max: max, left: 8, bottom: 8, text: ["多", "少"], inRange: { color: ["#e7f0fb", "#206bc4"] } },
      series: [{ type: "map", map: "county-towns", roam: true, label: { show: true, fontSize: 10 }, data: geo.data }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
