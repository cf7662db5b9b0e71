// Asks before a form that cannot be taken back is sent: <form data-confirm="What will happen?">, or a
// button of its own <button data-confirm="…"> (a form with two ways to send it); with
// data-confirm-when="name" only while the form's checkbox of that name is ticked.
// One listener for every page (no inline scripts); without scripts the form is sent as it is.
(function () {
  "use strict";
  function question(form, submitter) {
    var source = submitter && submitter.hasAttribute && submitter.hasAttribute("data-confirm") ? submitter : form;
    var text = source.getAttribute && source.getAttribute("data-confirm");
    var when = source.getAttribute && source.getAttribute("data-confirm-when");
    if (text && when) {
      var box = form.elements[when];
      if (!box || !box.checked) return null;
    }
    return text;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form && question(form, event.submitter);
    if (text && !window.confirm(text)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
