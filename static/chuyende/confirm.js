// Asks before a form that cannot be taken back is sent: <form data-confirm="What will happen?">.
// One listener for every page (no inline scripts); without scripts the form is sent as it is.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
