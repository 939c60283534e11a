// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Change language as soon as a language is picked; the button stays for no-JS use.
  for (const select of document.querySelectorAll("select.js-autosubmit")) {
    select.addEventListener("change", () => select.form.submit());
    const button = select.form.querySelector(".js-hide");
    if (button) button.hidden = true;
  }

  // The error summary at the top of a page with form errors: focus moves to it, so a
  // screen reader reads it first; each link puts the cursor in its field and shows the
  // field's label (a plain link would only scroll, with the label out of sight).
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      if (!link) return;
      const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!field) return;
      event.preventDefault();
      const holder = field.closest("fieldset, .field, td, p, div") || field;
      const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
      (label || holder).scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
      history.replaceState(null, "", link.hash);
    });
  }
});
