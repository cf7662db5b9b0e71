// "Chia sẻ qua Zalo" (zalo/_share.html): on a phone, the system's share sheet (navigator.share), where
// Zalo is one of the apps; elsewhere the link's own address, Zalo's share page, opens in a new tab.
(function () {
  "use strict";
  if (window.zaloShareReady) return;
  window.zaloShareReady = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-zalo-share]");
    if (!link || typeof navigator.share !== "function") return;
    event.preventDefault();
    navigator
      .share({ title: link.dataset.title, text: link.dataset.text, url: link.dataset.url })
      .catch(function (error) {
        // Dismissing the sheet is an AbortError: nothing to do. Anything else: Zalo's page instead.
        if (!error || error.name !== "AbortError") window.open(link.href, "_blank", "noopener");
      });
  });
})();
