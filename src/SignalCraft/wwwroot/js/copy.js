// Copy buttons on the Integrations pages: a button with data-copy="#field" copies that field's value. Without the
// script the buttons stay hidden and the read-only field can be selected and copied by hand.
(() => {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(button => {
    const field = document.querySelector(button.dataset.copy);
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        button.textContent = "Copied";
      } catch {
        field.select(); // no clipboard permission (e.g. plain http): leave it selected for Ctrl+C
        button.textContent = "Press Ctrl+C";
      }
      setTimeout(() => { button.textContent = "Copy"; }, 2000);
    });
  });
})();
