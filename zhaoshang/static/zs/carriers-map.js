// 招商地图: carriers as clustered markers and parcel polygons (Leaflet, all assets local). The data comes from
// /api/v1/carriers/map (GeoJSON); no base layer unless the administrator configured one.
(function () {
  "use strict";
  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function card(p, cfg) {
    var rows = [["类型", p.kind_label], ["状态", p.status_label], ["镇街", p.town], ["所属单位", p.owner]];
    if (p.area_mu != null) { rows.push(["面积", p.area_mu + " 亩（约 " + Math.round(p.area_mu * 666.67) + " ㎡）"]); }
    if (p.floor_area_m2 != null) { rows.push(["建筑面积", p.floor_area_m2 + " ㎡"]); }
    if (p.power_kva != null) { rows.push(["供电", p.power_kva + " 千伏安"]); }
    if (p.price != null) { rows.push(["起始价", p.price + " 万元/亩"]); }
    if (p.rent != null) { rows.push(["租金", p.rent + " 元/㎡/月"]); }
    var html = '<h3 class="card-title mb-2">' + escapeHtml(p.name) + (p.standard ? ' <span class="badge bg-green-lt">标准地</span>' : "") + "</h3><dl class=\"row small mb-2\">";
    rows.forEach(function (r) { html += '<dt class="col-5 fw-normal text-secondary">' + r[0] + '</dt><dd class="col-7 mb-1">' + escapeHtml(r[1]) + "</dd>"; });
    html += '</dl><a class="btn btn-sm btn-primary" data-testid="card-link" href="' + cfg.detail_url.replace("/0/", "/" + p.id + "/") + '">查看详情</a>';
    if (cfg.can_draw && (p.kind === "parcel" || p.kind === "redevelop")) {
      html += ' <button type="button" class="btn btn-sm btn-outline-primary" data-draw="' + p.id + '">绘制边界</button>';
    }
    return html;
  }
  function init() {
    var el = document.getElementById("carrier-map");
    if (!el || !window.L) { return; }
    var cfg = JSON.parse(document.getElementById("map-config").textContent);
    // No zoom/fade animations: a filter that reloads the markers while an animation runs made the cluster
    // plugin read a layer it had just removed (an intermittent "Cannot read properties of null").
    var map = L.map(el, { attributionControl: false, maxZoom: 18, minZoom: 8, zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false });
    map.fitBounds(cfg.bounds);
    if (cfg.base_layer) { L.tileLayer(cfg.base_layer.url, { maxZoom: 18 }).addTo(map); }
    if (cfg.towns) {
      L.geoJSON(cfg.towns, {
        style: { color: "#868e96", weight: 1, fill: false, dashArray: "4 3" },
        onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.name, { permanent: false, className: "zs-town-label" }); }
      }).addTo(map);
    }
    var hits = {};
    (cfg.highlight || []).forEach(function (id) { hits[id] = true; });
    var cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, animate: false });
    var polygons = L.layerGroup().addTo(map);
    map.addLayer(cluster);
    var cardBox = document.getElementById("map-card");
    var byId = {};
    function show(p) {
      cardBox.hidden = false;
      cardBox.querySelector(".card-body").innerHTML = card(p, cfg);
    }
    function load() {
      var query = new URLSearchParams(new FormData(document.getElementById("map-filters")));
      var filtered = new URLSearchParams();
      query.forEach(function (v, k) { if (v !== "") { filtered.append(k, v); } });
      fetch(cfg.data_url + "?" + filtered.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          cluster.clearLayers(); polygons.clearLayers(); byId = {};
          var markers = [];
          data.features.forEach(function (f) {
            var p = f.properties; byId[p.id] = p;
            var cls = hits[p.id] ? "zs-marker zs-marker-hit" : "zs-marker zs-marker-" + p.status;
            var marker = L.marker([p.lat, p.lng], {
              icon: L.divIcon({ className: "", html: '<div class="' + cls + '" data-carrier="' + p.id + '"></div>', iconSize: [16, 16] }),
              title: p.name, alt: p.name, keyboard: true
            });
            marker.on("click", function () { show(p); });
            markers.push(marker);
            if (f.geometry.type !== "Point") {
              var poly = L.geoJSON(f.geometry, { style: { color: hits[p.id] ? "#d63939" : "#206bc4", weight: 1, fillOpacity: 0.2 } });
              poly.on("click", function () { show(p); });
              poly.addTo(polygons);
            }
          });
          cluster.addLayers(markers);
          document.getElementById("map-count").textContent = "共 " + data.features.length + " 个载体" + (cfg.highlight.length ? "，候选 " + cfg.highlight.length + " 个" : "");
          el.setAttribute("data-loaded", String(data.features.length));
          var focus = new URLSearchParams(window.location.search).get("focus");
          if (focus && byId[focus]) { map.setView([byId[focus].lat, byId[focus].lng], 15); show(byId[focus]); }
        });
    }
    document.getElementById("map-filters").addEventListener("submit", function (e) { e.preventDefault(); load(); });
    // Drawing a boundary: the owner unit (or the land authority) draws a polygon; the API checks the right.
    cardBox.addEventListener("click", function (e) {
      var button = e.target.closest("[data-draw]");
      if (!button || !map.pm) { return; }
      var id = button.getAttribute("data-draw");
      map.pm.enableDraw("Polygon", { snappable: false });
      map.once("pm:create", function (ev) {
        var geometry = ev.layer.toGeoJSON().geometry;
        fetch(cfg.detail_url.replace("/0/", "/" + id + "/").replace("/carriers/", "/api/v1/carriers/").replace(/\/$/, ""), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (obj) {
            return fetch(cfg.draw_url.replace("{id}", id), {
              method: "PUT", credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-CSRFToken": document.body.getAttribute("hx-headers") ? JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"] : "" },
              body: JSON.stringify({ boundary: geometry, version: obj.version })
            });
          })
          .then(function (r) { return r.json(); })
          .then(function (res) {
            map.removeLayer(ev.layer);
            var box = cardBox.querySelector(".card-body");
            box.insertAdjacentHTML("beforeend", '<div class="alert ' + (res.warning || res.message ? "alert-warning" : "alert-success") + ' mt-2 mb-0 small">' +
              escapeHtml(res.message || ("边界已保存，计算面积 " + res.boundary_mu + " 亩" + (res.warning ? "。" + res.warning : ""))) + "</div>");
            load();
          });
      });
    });
    load();
  }
  document.addEventListener("DOMContentLoaded", init);
})();
