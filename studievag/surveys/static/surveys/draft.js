// An unfinished questionnaire is kept in this browser only (localStorage), under a
// key that names no one, and removed when the answers are sent. The page works
// without this file: then the questionnaire is answered in one go.
document.addEventListener("DOMContentLoaded", () => {
  const clear = document.querySelector("[data-draft-clear]");
  if (clear) {
    try { localStorage.removeItem(clear.dataset.draftClear); } catch (e) { /* storage off */ }
    return;
  }
  const form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  const key = form.dataset.draftKey;
  const status = form.querySelector(".js-draft-status");
  let storage;
  try { storage = window.localStorage; storage.getItem(key); } catch (e) { return; }

  const fields = () => form.querySelectorAll("input[type=radio], textarea");
  const save = () => {
    const data = {};
    for (const el of fields()) {
      if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else if (el.value.trim()) data[el.name] = el.value;
    }
    if (Object.keys(data).length) storage.setItem(key, JSON.stringify(data));
    else storage.removeItem(key);
  };
  const restore = () => {
    let data;
    try { data = JSON.parse(storage.getItem(key) || "{}"); } catch (e) { data = {}; }
    for (const el of fields()) {
      if (!(el.name in data)) continue;
      if (el.type === "radio") el.checked = el.value === data[el.name];
      else if (!el.value) el.value = data[el.name];
    }
  };
  restore();
  form.addEventListener("change", save);
  form.addEventListener("input", save);

  const later = form.querySelector(".js-draft-later");
  const forget = form.querySelector(".js-draft-forget");
  later.hidden = false;
  forget.hidden = false;
  later.addEventListener("click", () => {
    save();
    status.textContent = document.getElementById("draft-saved-text").textContent;
    window.location.href = document.getElementById("draft-later-url").value;
  });
  forget.addEventListener("click", () => {
    storage.removeItem(key);
    for (const el of fields()) { if (el.type === "radio") el.checked = false; else el.value = ""; }
    status.textContent = document.getElementById("draft-forgotten-text").textContent;
  });
});
