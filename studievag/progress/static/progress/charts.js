// Progression charts: steps over time against the line to the course goal, and attendance.
// The numbers are also in the tables under each chart.
(() => {
  const source = document.getElementById("progress-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = data.labels;
  const day = (iso) => new Date(iso + "T12:00:00").getTime();
  const rtl = document.documentElement.dir === "rtl";
  // A canvas draws its text in the page's direction: on a right-to-left page a left-to-right
  // label ("5. Över kursmålet", "2026-11-29") is kept in order inside a left-to-right isolate.
  const ltr = (text) => (rtl && text ? `\u2066${text}\u2069` : text);
  const asDate = (value) => ltr(new Date(value).toISOString().slice(0, 10));

  for (const canvas of document.querySelectorAll("canvas.progress-chart")) {
    const course = data.courses.find((c) => String(c.id) === canvas.dataset.course);
    if (!course) continue;
    const stepLabel = (v) => {
      const step = course.steps.find((s) => s.position === v);
      return step ? ltr(`${v}. ${step.label}${step.goal ? " ★" : ""}`) : "";
    };
    new Chart(canvas, {
      type: "scatter",
      data: {
        datasets: [
          {
            label: labels.records,
            data: course.records.map((r) => ({ x: day(r.date), y: r.position })),
            showLine: true, stepped: true, borderColor: "#0b4f6c", backgroundColor: "#0b4f6c",
            pointRadius: 4, pointStyle: "circle",
          },
          {
            label: labels.line,
            data: course.line.map((p) => ({ x: day(p.date), y: p.position })),
            showLine: true, borderDash: [6, 4], borderColor: "#9a6700", pointRadius: 0,
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        scales: {
          x: { type: "linear", reverse: rtl, ticks: { callback: asDate, maxTicksLimit: 6 } },
          y: {
            min: 1, max: Math.max(1, ...course.steps.map((s) => s.position)),
            ticks: { stepSize: 1, callback: stepLabel }, position: rtl ? "right" : "left",
          },
        },
        plugins: {
          tooltip: { callbacks: { label: (c) => `${asDate(c.parsed.x)}: ${stepLabel(c.parsed.y)}` } },
        },
      },
    });
  }

  const attendance = document.getElementById("attendance-chart");
  if (attendance && data.attendance.length) {
    new Chart(attendance, {
      type: "bar",
      data: {
        labels: data.attendance.map((w) => ltr(w.week)),
        datasets: [{ label: labels.attendance, data: data.attendance.map((w) => w.percent),
                     backgroundColor: "#3182bd" }],
      },
      options: {
        maintainAspectRatio: false,
        scales: { x: { reverse: rtl }, y: { min: 0, max: 100, position: rtl ? "right" : "left" } },
      },
    });
  }
})();
