// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Change language as soon as a language is picked; the button stays for no-JS use.
  for (const select of document.querySelectorAll("select.js-autosubmit")) {
    select.addEventListener("change", () => select.form.submit());
    const button = select.form.querySelector(".js-hide");
    if (button) button.hidden = true;
  }
});
