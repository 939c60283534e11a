// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // A staff member's links fold behind "Menu" on a phone (the CSS decides when the button
  // shows); it says whether the menu is open, and Escape closes it again.
  const toggle = document.querySelector(".nav-toggle");
  if (toggle) {
    const nav = toggle.closest("nav");
    const setOpen = (open) => {
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    };
    nav.classList.add("js-foldable");
    toggle.hidden = false;
    toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
    nav.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && nav.classList.contains("is-open")) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

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

// The plan's course picker: a combobox over the catalogue search (ARIA 1.2 list
// autocomplete). Without this script the field is a text field with a datalist,
// and the server reads a name, a code or the list's text. Enhanced when first
// focused, so rows added later are enhanced as well.
(() => {
  let counter = 0;

  function enhance(input) {
    const section = input.closest("[data-catalogue-url]");
    if (!section || input.dataset.enhanced) return;
    input.dataset.enhanced = "1";
    counter += 1;
    const listbox = document.createElement("ul");
    listbox.id = `course-listbox-${counter}`;
    listbox.className = "combo-list";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent.trim() : "");
    listbox.hidden = true;
    const status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    const wrap = document.createElement("div");
    wrap.className = "combo";
    input.parentNode.insertBefore(wrap, input);
    wrap.append(input, listbox, status);
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    let active = -1;
    let timer = null;
    let asked = "";

    const options = () => Array.from(listbox.querySelectorAll("[role=option]"));
    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(index) {
      const all = options();
      all.forEach((o, i) => o.setAttribute("aria-selected", i === index ? "true" : "false"));
      active = index;
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function choose(option) {
      input.value = option.dataset.choice;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function show(results) {
      listbox.replaceChildren();
      results.forEach((r, i) => {
        const li = document.createElement("li");
        li.id = `${listbox.id}-${i}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.choice = r.choice;
        const name = document.createElement("span");
        name.className = "combo-name";
        name.textContent = r.label;
        const detail = document.createElement("span");
        detail.className = "combo-detail";
        detail.textContent = `${r.code} · ${r.what}`;
        li.append(name, " ", detail);
        li.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(li);
        });
        listbox.append(li);
      });
      const open = results.length > 0;
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = section.dataset[open ? "textFound" : "textNone"]?.replace("__N__", results.length) || "";
      active = -1;
    }
    function ask() {
      const query = input.value.trim();
      if (query.length < 2) {
        close();
        return;
      }
      if (query === asked && !listbox.hidden) return;
      asked = query;
      const url = new URL(section.dataset.catalogueUrl, window.location.href);
      url.searchParams.set("q", query);
      url.searchParams.set("grading", section.dataset.grading || "both");
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => {
          if (input.value.trim() === query) show(data.results || []);
        })
        .catch(() => close());
    }
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", (event) => {
      const all = options();
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listbox.hidden) ask();
        else mark(Math.min(active + 1, all.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        mark(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !listbox.hidden && active >= 0) {
        event.preventDefault();
        choose(all[active]);
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
  }

  document.addEventListener("focusin", (event) => {
    if (event.target.matches && event.target.matches("input[data-course-picker]")) enhance(event.target);
  });
  // A field that had the focus before this script ran (autofocus on a newly added row).
  document.addEventListener("DOMContentLoaded", () => {
    const active = document.activeElement;
    if (active && active.matches && active.matches("input[data-course-picker]")) enhance(active);
  });
})();

// The plan form's hours: the hours a week of the ongoing rows, added up as they are typed.
(() => {
  function update(form) {
    const out = form.querySelector("[data-hours-sum]");
    if (!out) return;
    let total = 0;
    let any = false;
    for (const hours of form.querySelectorAll("input[data-weekly-hours]")) {
      const row = hours.closest("fieldset") || form;
      const status = row.querySelector("select[name$='-status']");
      const removed = row.querySelector("input[name$='-DELETE']");
      const course = row.querySelector("input[data-course-picker]");
      if (!status || status.value !== "ongoing" || (removed && removed.checked)) continue;
      if (course && !course.value.trim()) continue;
      const value = parseFloat(hours.value.replace(",", ".").trim());
      if (Number.isNaN(value)) continue;
      total += value;
      any = true;
    }
    const fullTime = parseFloat(out.dataset.fullTime);
    const shown = (Math.round(total * 10) / 10).toLocaleString(document.documentElement.lang || undefined);
    const text = !any ? out.dataset.textNone : total >= fullTime ? out.dataset.textFull : out.dataset.textPart;
    out.textContent = text.replace("__H__", shown);
    out.classList.toggle("full_time", any && total >= fullTime);
    out.classList.toggle("part_time", any && total < fullTime);
  }
  document.addEventListener("DOMContentLoaded", () => {
    for (const out of document.querySelectorAll("[data-hours-sum]")) {
      const form = out.closest("form");
      update(form);
      form.addEventListener("input", () => update(form));
      form.addEventListener("change", () => update(form));
    }
  });
})();
