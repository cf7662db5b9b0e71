// The calendar link: tapping the box selects it, "Copy the link" copies it (no inline scripts).
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("click", function () { box.select(); });
  });
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      if (!source || !navigator.clipboard) return;
      navigator.clipboard.writeText(source.value).then(function () { button.textContent = button.dataset.done; });
    });
  });
})();
