// "+ Add a task" on the resolution form: a new empty row from the <template>, without a round trip.
// Without scripts the button stays hidden and saving the form brings more empty rows.
(function () {
  "use strict";
  var button = document.getElementById("add-task");
  var template = document.getElementById("task-row-template");
  var rows = document.getElementById("task-rows");
  var total = document.getElementById("id_task-TOTAL_FORMS");
  if (!button || !template || !rows || !total) return;
  button.hidden = false;
  var help = document.getElementById("task-help");
  if (help) help.hidden = true;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__n__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = rows.lastElementChild;
    var first = added && added.querySelector("textarea");
    if (first) first.focus();
  });
})();
