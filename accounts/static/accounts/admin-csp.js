// Starts Wagtail's date/time pickers from the JSON blocks our widget templates write instead of inline scripts
// (blocked by the Content-Security-Policy), for the page as loaded and for forms inserted later (modals, panels).
(function () {
  "use strict";
  var SELECTOR = "script[data-zhsq-init]";
  var STARTERS = ["initDateChooser", "initDateTimeChooser", "initTimeChooser"];  // never any other global
  function start(node) {
    var name = node.dataset.zhsqInit;
    var init = STARTERS.indexOf(name) >= 0 ? window[name] : null;
    if (node.dataset.zhsqStarted || typeof init !== "function") return;
    node.dataset.zhsqStarted = "1";
    init(node.dataset.zhsqFor, JSON.parse(node.textContent || "{}"));
  }
  function scan(root) {
    if (root.matches && root.matches(SELECTOR)) start(root);
    if (root.querySelectorAll) root.querySelectorAll(SELECTOR).forEach(start);
  }
  function run() {
    scan(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) { change.addedNodes.forEach(scan); });
    }).observe(document.documentElement, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
