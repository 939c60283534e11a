// The progression grid: choose a step with the keyboard, save at once with fetch.
// Without this file the grid is an ordinary form that saves with its button.
//
// Moving never saves: the arrow keys only move the focus (left/right between the
// steps of a row, up/down between students); a step is chosen with its digit,
// Space, Enter or a click. A grade is saved only with its "Set grade" button,
// never when the list changes (arrow keys on a closed list change it).
(() => {
  const form = document.getElementById("progress-grid");
  if (!form) return;
  const api = form.dataset.api;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const rows = () => Array.from(form.querySelectorAll("tbody tr[data-student]"));

  async function save(row, body, stateText) {
    // Returns whether the save succeeded.
    const state = row.querySelector(".save-state");
    state.textContent = " …";
    try {
      const response = await fetch(api, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ student: Number(row.dataset.student), ...body }),
        credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok || !data.ok) {
        const messages = Object.values(data.errors || {}).flat().join(" ");
        state.textContent = " ✗ " + (messages || response.statusText);
        row.classList.add("save-failed");
        return false;
      }
      row.classList.remove("save-failed");
      const cell = row.querySelector(".status-cell");
      let status = cell.querySelector(".status");
      if (!status) {
        status = document.createElement("span");
        cell.prepend(status);
      }
      status.className = "status status-" + data.status;
      status.title = data.explanation;
      status.textContent = data.status_symbol + " " + data.status_label;
      state.textContent = " ✓ " + stateText;
      return true;
    } catch (error) {
      state.textContent = " ✗ " + error;
      row.classList.add("save-failed");
      return false;
    }
  }

  // The grade: an explicit choice with its button; a correction or removal takes a reason.
  form.querySelectorAll(".grade-save").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const row = button.closest("tr[data-student]");
      const select = row.querySelector(".grade-select");
      const reason = row.querySelector(".grade-reason");
      if (!select.value) return;
      const ok = await save(row, { grade: select.value, reason: reason ? reason.value : "" }, select.value);
      if (ok) window.location.reload();
    });
  });

  form.addEventListener("change", (event) => {
    const input = event.target;
    const row = input.closest("tr[data-student]");
    if (!row) return;
    if (input.type === "radio") save(row, { step: Number(input.value) }, form.dataset.saved || "");
  });

  form.addEventListener("keydown", (event) => {
    const input = event.target;
    if (input.type !== "radio") return;
    const row = input.closest("tr[data-student]");
    const position = Number(input.dataset.position);
    if (/^[1-9]$/.test(event.key)) {
      const target = row.querySelector(`input[type=radio][data-position="${event.key}"]`);
      if (target) {
        event.preventDefault();
        target.focus();
        if (target.checked) {
          // The same step again confirms it for today.
          save(row, { step: Number(target.value) }, "");
        } else {
          target.checked = true;
          target.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
      return;
    }
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      // The browser would check the neighbouring step (and so save it): only move the focus.
      event.preventDefault();
      const radios = Array.from(row.querySelectorAll("input[type=radio]"));
      const forward = (event.key === "ArrowRight") !== (document.dir === "rtl");
      const next = radios[radios.indexOf(input) + (forward ? 1 : -1)];
      if (next) next.focus();
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      if (!input.checked) {
        input.checked = true;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return;
    }
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      const all = rows();
      const next = all[all.indexOf(row) + (event.key === "ArrowDown" ? 1 : -1)];
      if (!next) return;
      const same = next.querySelector(`input[type=radio][data-position="${position}"]`);
      const checked = next.querySelector("input[type=radio]:checked");
      (checked || same || next.querySelector("input[type=radio]")).focus();
    }
  });
})();
