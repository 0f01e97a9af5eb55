// Platform behaviour that needs script. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  // Confirm destructive actions: <form data-confirm="确定删除？">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
  // Auto-submit filter forms when a select changes: <form data-autosubmit>
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-autosubmit") && event.target.tagName === "SELECT") {
      form.requestSubmit();
    }
  });
  // Compact searchable multi-selects: <select multiple data-choices>
  function enhanceSelects(root) {
    if (!window.TomSelect) { return; }
    root.querySelectorAll("select[data-choices]:not(.tomselected)").forEach(function (el) {
      var tom = new window.TomSelect(el, {
        plugins: el.multiple ? ["remove_button"] : [],
        placeholder: el.getAttribute("data-placeholder") || "全部",
        maxOptions: 500,
        hidePlaceholder: true,
        render: { no_results: function () { return '<div class="no-results">无匹配项</div>'; } }
      });
      // Tom Select points the field's <label for> at its own combobox; the original <select>, still read by
      // assistive technology, keeps the label's name through aria-labelledby.
      var label = el.id && document.getElementById(el.id + "-ts-label");
      if (label) {
        el.setAttribute("aria-labelledby", label.id);
      } else if (el.getAttribute("aria-label") && !tom.focus_node.hasAttribute("aria-label")) {
        tom.focus_node.setAttribute("aria-label", el.getAttribute("aria-label"));
      }
    });
  }
  // Project board: drop a card on another stage's column to open the advance dialog for that stage.
  function enableBoard(root) {
    root.querySelectorAll("[data-advance-url][draggable]").forEach(function (card) {
      card.addEventListener("dragstart", function (event) {
        event.dataTransfer.setData("text/plain", card.getAttribute("data-advance-url"));
      });
    });
    root.querySelectorAll("[data-drop-stage]").forEach(function (column) {
      column.addEventListener("dragover", function (event) { event.preventDefault(); column.classList.add("zs-drop-hover"); });
      column.addEventListener("dragleave", function () { column.classList.remove("zs-drop-hover"); });
      column.addEventListener("drop", function (event) {
        event.preventDefault();
        var url = event.dataTransfer.getData("text/plain");
        if (url && url.charAt(0) === "/") {
          window.location.assign(url + "?to=" + encodeURIComponent(column.getAttribute("data-drop-stage")));
        }
      });
    });
  }
  // Charts: <div data-chart="ID"> with its ECharts option in <script type="application/json" id="ID">.
  function renderCharts(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) { return; }
      // The wall display is dark: ECharts' dark theme, on the card's own background.
      var wall = document.body.classList.contains("zs-wall");
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, wall ? "dark" : null);
      var option = JSON.parse(source.textContent);
      if (wall) { option.backgroundColor = "transparent"; }
      chart.setOption(option, true);
    });
  }
  window.addEventListener("resize", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    enhanceSelects(document); enableBoard(document); renderCharts(document);
  });
  document.addEventListener("htmx:load", function (event) { enhanceSelects(event.target); renderCharts(document); });
})();
