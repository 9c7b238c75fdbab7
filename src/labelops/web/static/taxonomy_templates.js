// The new-project form: picking a taxonomy template fills the schema editor with it.
(() => {
  "use strict";
  const select = document.getElementById("template");
  const editor = document.getElementById("custom_schema");
  const error = document.getElementById("template-error");
  if (!select || !editor) return;
  let loaded = editor.value; // what the last template put there: replacing it loses nothing

  select.addEventListener("change", async () => {
    const name = select.value;
    error.hidden = true;
    if (!name) return;
    if (editor.value.trim() && editor.value !== loaded) {
      if (!window.confirm("Replace the schema you typed with this template?")) return;
    }
    try {
      const response = await fetch(select.dataset.templateUrl + encodeURIComponent(name), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const schema = await response.json();
      const kind = schema.kind || "single";
      delete schema.kind;
      editor.value = JSON.stringify(schema, null, 2);
      loaded = editor.value;
      const radio = document.querySelector(`input[name="kind"][value="${kind}"]`);
      if (radio) radio.checked = true;
    } catch (problem) {
      error.textContent = `The template could not be loaded (${problem.message}).`;
      error.hidden = false;
    }
  });
})();
