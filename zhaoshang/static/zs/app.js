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
      new window.TomSelect(el, {
        plugins: el.multiple ? ["remove_button"] : [],
        placeholder: el.getAttribute("data-placeholder") || "全部",
        maxOptions: 500,
        hidePlaceholder: true,
        render: { no_results: function () { return '<div class="no-results">无匹配项</div>'; } }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceSelects(document); });
  document.addEventListener("htmx:load", function (event) { enhanceSelects(event.target); });
})();
