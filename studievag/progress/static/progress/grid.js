// The progression grid: choose a step with the keyboard, save at once with fetch.
// Without this file the grid is an ordinary form that saves with its button.
(() => {
  const form = document.getElementById("progress-grid");
  if (!form) return;
  const api = form.dataset.api;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const rows = () => Array.from(form.querySelectorAll("tbody tr[data-student]"));

  async function save(row, body, stateText) {
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
        return;
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
    } catch (error) {
      state.textContent = " ✗ " + error;
      row.classList.add("save-failed");
    }
  }

  form.addEventListener("change", (event) => {
    const input = event.target;
    const row = input.closest("tr[data-student]");
    if (!row) return;
    if (input.type === "radio") save(row, { step: Number(input.value) }, form.dataset.saved || "");
    if (input.classList.contains("grade-select") && input.value) save(row, { grade: input.value }, input.value);
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
