// Asks before a form that cannot be taken back is sent: <form data-confirm="What will happen?">, or a
// button of its own <button data-confirm="…"> (a form with two ways to send it); with
// data-confirm-when="name" only while the form's checkbox of that name is ticked.
// Also, for every page (no inline scripts under the Content-Security-Policy): a <select data-autosubmit>
// sends its form when changed (a <noscript> button does without scripts), a <button data-print> prints.
// One listener for every page; without scripts the form is sent as it is.
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
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field || !field.hasAttribute || !field.hasAttribute("data-autosubmit") || !field.form) return;
    if (field.form.requestSubmit) field.form.requestSubmit(); else field.form.submit();
  });
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
})();
