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

  // A table wider than its column scrolls sideways inside .table-wrap: keyboard users must
  // be able to reach the scrolling (focus it, then the arrow keys) and a screen reader to
  // name it (WCAG 2.1.1). Tables that fit get no extra tab stop.
  const wraps = document.querySelectorAll(".table-wrap");
  const markScrolling = () => {
    for (const wrap of wraps) {
      const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.tabIndex = 0;
        wrap.dataset.scrollFocus = "";
        wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          const caption = wrap.querySelector("caption");
          const section = wrap.closest("section, article");
          const heading = section && section.querySelector("h2, h3");
          const name = (caption || heading || document.querySelector("h1"))?.textContent.trim();
          if (name) wrap.setAttribute("aria-label", name);
        }
      } else if (!scrolls && "scrollFocus" in wrap.dataset) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        delete wrap.dataset.scrollFocus;
      }
    }
  };
  markScrolling();
  window.addEventListener("resize", markScrolling);
});
