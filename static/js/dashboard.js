// Charts of the dashboard; the same figures are in the page's tables for readers without JavaScript.
(function () {
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var palette = ["#0d6efd", "#2e7d32", "#f9a825", "#c62828"];

  function chart(id, option, onClick) {
    var element = document.getElementById(id);
    if (!element) return;
    var instance = echarts.init(element);
    instance.setOption(Object.assign({ color: palette, grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true }, tooltip: { trigger: "axis" } }, option));
    if (onClick) instance.on("click", onClick);
    window.addEventListener("resize", function () { instance.resize(); });
  }

  if (data.sections) {
    chart("section-chart", {
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.sections.labels, inverse: true, axisLabel: { width: 160, overflow: "break", lineHeight: 14 } },
      series: [{ type: "bar", name: "平均完成率", data: data.sections.percent, label: { show: true, position: "right", formatter: "{c}%" } }]
    }, function (event) { window.location = data.sections.urls[event.dataIndex]; });
  }
  if (data.trend) {
    chart("trend-chart", {
      legend: { top: 0 },
      xAxis: { type: "category", data: data.trend.weeks },
      yAxis: [{ type: "value", name: "已完成", minInterval: 1 }, { type: "value", name: "完成率", max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [
        { type: "bar", name: "已完成任务", data: data.trend.done },
        { type: "line", name: "平均完成率", yAxisIndex: 1, data: data.trend.percent }
      ]
    }, function () { window.location = data.trend.url; });
  }
  if (data.labels) {
    chart("rollup-chart", {
      // Every district named, wrapped rather than clipped or skipped.
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, width: 56, overflow: "break", lineHeight: 14 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{ type: "bar", name: "平均完成率", data: data.percent, label: { show: true, position: "top", formatter: "{c}%" } }]
    }, function (event) { window.location = data.urls[event.dataIndex]; });
  }
})();
