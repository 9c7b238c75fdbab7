// Small form helpers: radio buttons that show or hide a related field.
(() => {
  "use strict";
  const radios = document.querySelectorAll("input[type=radio][data-toggle-target]");
  function sync() {
    for (const radio of radios) {
      if (!radio.checked) continue;
      const target = document.getElementById(radio.dataset.toggleTarget);
      if (target) target.toggleAttribute("data-collapsed", radio.dataset.toggleShow !== "true");
    }
  }
  for (const radio of radios) radio.addEventListener("change", sync);
  sync();
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
})();
