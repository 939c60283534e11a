// A print button for the team overview (the browser's own print works too).
for (const button of document.querySelectorAll(".js-print")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
