// Charts of the quality report page, from the figures the server put in #chart-data.
// Hidden figures ("..") and missing ones (".") come as null and get no bar.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#0b4f6c", "#01baef", "#9a6700", "#1e7d32", "#b42318", "#6b4c9a", "#505a66"];
  var dashes = [[], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 2], [4, 4]];
  var isShare = data.unit === "%";

  function label(ctx) {
    var texts = ctx.dataset.texts || [];
    var text = texts[ctx.dataIndex];
    return ctx.dataset.label + ": " + (text === undefined ? ctx.formattedValue : text) + (isShare ? " %" : "");
  }
  var scales = { y: { beginAtZero: true, suggestedMax: isShare ? 100 : undefined } };

  var bar = document.getElementById("focus-chart");
  if (bar) {
    new Chart(bar, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (d, i) {
          return { label: d.label, data: d.data, texts: d.texts,
                   backgroundColor: colours[i % colours.length],
                   borderColor: "#1b1f24", borderWidth: i ? 1 : 0 };
        })
      },
      options: { responsive: true, scales: scales,
                 plugins: { tooltip: { callbacks: { label: label } }, title: { display: true, text: data.title } } }
    });
  }
  var line = document.getElementById("trend-chart");
  if (line) {
    new Chart(line, {
      type: "line",
      data: {
        labels: data.trend.labels,
        datasets: data.trend.datasets.map(function (d, i) {
          var last = i === data.trend.datasets.length - 1;
          return { label: d.label, data: d.data, texts: d.texts, spanGaps: false,
                   borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length],
                   borderDash: dashes[i % dashes.length], borderWidth: last ? 3 : 1.5,
                   pointStyle: ["circle", "rect", "triangle", "rectRot", "star", "cross", "crossRot"][i % 7] };
        })
      },
      options: { responsive: true, scales: scales, plugins: { tooltip: { callbacks: { label: label } } } }
    });
  }
}());
