// The audit review screen's keys, on top of a plain form that works without them:
// C correct, X incorrect, 1–9 pick the right label, J/K next/previous item, Esc leaves the note.
(() => {
  "use strict";
  const form = document.getElementById("verdict-form");
  if (!form) return;
  const choices = Array.from(form.querySelectorAll("input[name=labels]"));
  const click = (id) => document.getElementById(id)?.click();
  const go = (id) => {
    const link = document.getElementById(id);
    if (link) window.location.href = link.href;
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target instanceof HTMLElement && event.target.matches("input[type=text], textarea");
    if (typing) {
      // Enter in the note must not quietly submit the first button (Correct); Esc leaves
      // the note so the keys work again.
      if (event.key === "Enter") event.preventDefault();
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "c") click("correct-button");
    else if (key === "x") click("incorrect-button");
    else if (key === "j") go("next-link");
    else if (key === "k") go("previous-link");
    else if (/^[1-9]$/.test(key) && choices[Number(key) - 1]) {
      const choice = choices[Number(key) - 1];
      choice.checked = choice.type === "radio" ? true : !choice.checked;
      choice.focus();
    } else return;
    event.preventDefault();
  });

  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
})();
