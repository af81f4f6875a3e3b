/* itfm dashboards: panels over window.ITFM_DATA (written by `itfm dashboards`
   from the marts). Each panel filters its dataset by the filters its mart can
   honour (team, cost center, provider, month), draws with ECharts, and sets
   data-rendered="true", data-figure (its headline figure, which the browser
   test checks against the marts) and data-rows on its element. */
(function () {
  "use strict";

  const DATA = window.ITFM_DATA;
  const FILTERS = [
    ["team", "Team"],
    ["cost_center", "Cost center"],
    ["provider", "Provider"],
    ["month", "Month"],
  ];
  const state = { team: "", cost_center: "", provider: "", month: "" };
  const charts = [];
  const cache = {};

  // ---------- data
  function rows(name) {
    if (!cache[name]) {
      const set = DATA.datasets[name];
      const dictionaries = set.dictionaries || {};
      cache[name] = set.rows.map((row) => {
        const record = {};
        set.columns.forEach((column, i) => {
          const values = dictionaries[column];
          record[column] = values && row[i] !== null ? values[row[i]] : row[i];
        });
        return record;
      });
    }
    return cache[name];
  }
  function columns(name) { return DATA.datasets[name].columns; }
  function honoured(name) {
    return FILTERS.map((f) => f[0]).filter((key) => columns(name).includes(key));
  }
  function filtered(name, skip) {
    const keys = honoured(name).filter((key) => !(skip || []).includes(key));
    return rows(name).filter((row) =>
      keys.every((key) => !state[key] || row[key] === state[key]));
  }
  function sum(list, key) { return list.reduce((total, row) => total + (row[key] || 0), 0); }
  function groupSum(list, keyOf, value) {
    const out = new Map();
    list.forEach((row) => {
      const key = keyOf(row);
      out.set(key, (out.get(key) || 0) + (row[value] || 0));
    });
    return out;
  }
  function uniqueSorted(list) { return Array.from(new Set(list)).sort(); }
  function cents(x) { return Math.round(x * 100) / 100; }

  // ---------- formatting
  const currency = DATA.currency;
  const moneyFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: currency, maximumFractionDigits: 0 });
  const moneyFormat2 = new Intl.NumberFormat("en-US", { style: "currency", currency: currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function money(x) { return x === null || x === undefined ? "–" : moneyFormat.format(x); }
  function money2(x) { return x === null || x === undefined ? "–" : moneyFormat2.format(x); }
  function pct(x, digits) { return x === null || x === undefined ? "–" : (x * 100).toFixed(digits === undefined ? 1 : digits) + "%"; }
  function esc(text) {
    return String(text === null || text === undefined ? "" : text).replace(/[&<>"']/g,
      (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function monthLabel(month) { return month ? month.slice(0, 7) : ""; }

  // ---------- panels
  function chartIn(panel) {
    const el = panel.querySelector(".chart");
    const chart = echarts.init(el, null, { renderer: "canvas" });
    charts.push(chart);
    return chart;
  }
  function note(panel, name, extra) {
    const keys = honoured(name).map((key) => FILTERS.find((f) => f[0] === key)[1].toLowerCase());
    const text = "From " + DATA.datasets[name].mart + (keys.length ? "; filters: " + keys.join(", ") : "; not filtered") + ".";
    panel.querySelector(".note").textContent = text + (extra ? " " + extra : "");
  }
  function empty(panel, what) {
    const target = panel.querySelector(".chart, .table");
    if (target) target.innerHTML = '<div class="empty">' + esc(what || "No rows for these filters.") + "</div>";
  }
  function table(panel, heads, body) {
    const head = heads.map((h) => '<th class="' + (h[1] ? "num" : "") + '">' + esc(h[0]) + "</th>").join("");
    const lines = body.map((cells) => "<tr>" + cells.map((c, i) =>
      '<td class="' + (heads[i][1] ? "num" : "") + '">' + c + "</td>").join("") + "</tr>").join("");
    panel.querySelector(".table").innerHTML = "<table><thead><tr>" + head + "</tr></thead><tbody>" + lines + "</tbody></table>";
  }
  const moneyAxis = { type: "value", axisLabel: { formatter: (v) => money(v) } };
  const tooltipMoney = { trigger: "axis", valueFormatter: (v) => money2(v) };

  const PANELS = {
    summary(panel) {
      const cost = sum(rows("daily_cost"), "cost");
      const months = uniqueSorted(rows("daily_cost").map((r) => r.month));
      const unmapped = rows("unmapped");
      panel.innerHTML = "<div><b>" + money(cost) + "</b>effective cost, " + months.length +
        " billing months</div><div><b>" + pct(sum(unmapped, "unmapped") / (sum(unmapped, "cost") || 1)) +
        "</b>unmapped</div><div><b>" + rows("anomalies").length + "</b>anomalies</div><div><b>" +
        rows("violations").length + "</b>policy violations</div>";
      return { figure: cents(cost), rows: rows("daily_cost").length };
    },

    spend_trend(panel) {
      const list = filtered("daily_cost");
      note(panel, "daily_cost", "Forecast (fct_cost_forecasts_daily): the total, or the team's when a team is picked; none when a cost center or provider is picked.");
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      const byDay = groupSum(list, (r) => r.date, "cost");
      let forecast = [];
      if (!state.cost_center && !state.provider) {
        forecast = rows("forecast").filter((r) => state.team ? (r.level === "owner" && r.team === state.team) : r.level === "total")
          .filter((r) => !state.month || r.month === state.month);
      }
      const days = uniqueSorted(Array.from(byDay.keys()).concat(forecast.map((r) => r.date)));
      const fByDay = new Map(forecast.map((r) => [r.date, r]));
      const interval = forecast.length ? Math.round(forecast[0].interval * 100) + "% interval" : "interval";
      chartIn(panel).setOption({
        tooltip: tooltipMoney, legend: { top: 0 }, grid: { left: 70, right: 20, top: 30, bottom: 40 },
        xAxis: { type: "category", data: days }, yAxis: moneyAxis,
        series: [
          { name: "actual", type: "line", showSymbol: false, data: days.map((d) => byDay.has(d) ? cents(byDay.get(d)) : null) },
          { name: "forecast", type: "line", showSymbol: false, lineStyle: { type: "dashed" }, data: days.map((d) => fByDay.has(d) ? fByDay.get(d).cost : null) },
          { name: "lower", type: "line", stack: "band", showSymbol: false, lineStyle: { opacity: 0 }, data: days.map((d) => fByDay.has(d) ? fByDay.get(d).lower : null), tooltip: { show: false } },
          { name: interval, type: "line", stack: "band", showSymbol: false, lineStyle: { opacity: 0 }, areaStyle: { opacity: 0.2 }, data: days.map((d) => fByDay.has(d) ? cents(fByDay.get(d).upper - fByDay.get(d).lower) : null) },
        ],
      });
      return { figure: cents(sum(list, "cost")), rows: list.length };
    },

    cost_by_product(panel) {
      const list = filtered("daily_cost");
      note(panel, "daily_cost");
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      const products = new Map();
      list.forEach((r) => {
        const product = r.product || "(no product)";
        if (!products.has(product)) products.set(product, new Map());
        const services = products.get(product);
        services.set(r.service || "(no service)", (services.get(r.service || "(no service)") || 0) + r.cost);
      });
      const data = Array.from(products, ([name, services]) => ({
        name: name,
        children: Array.from(services, ([service, cost]) => ({ name: service, value: cents(cost) })),
      }));
      chartIn(panel).setOption({
        tooltip: { formatter: (p) => esc(p.treePathInfo.map((t) => t.name).filter(Boolean).join(" / ")) + ": " + money2(p.value) },
        series: [{ type: "treemap", data: data, leafDepth: 2, roam: false, breadcrumb: { show: false }, visibleMin: 600,
          label: { formatter: (p) => p.name + "\n" + money(p.value), overflow: "truncate" },
          upperLabel: { show: true, height: 22, formatter: (p) => p.name + "  " + money(p.value) },
          levels: [{ itemStyle: { borderWidth: 0, gapWidth: 3 } }, { itemStyle: { gapWidth: 1 } }] }],
      });
      return { figure: cents(sum(list, "cost")), rows: list.length };
    },

    unmapped(panel) {
      const list = filtered("unmapped");
      note(panel, "unmapped", "Share of effective cost with no owner found.");
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      const months = uniqueSorted(list.map((r) => r.month));
      const cost = groupSum(list, (r) => r.month, "cost");
      const unmapped = groupSum(list, (r) => r.month, "unmapped");
      const target = Math.max.apply(null, list.map((r) => r.target_pct || 0)) / 100;
      chartIn(panel).setOption({
        tooltip: { trigger: "axis", valueFormatter: (v) => pct(v) },
        grid: { left: 60, right: 20, top: 20, bottom: 40 },
        xAxis: { type: "category", data: months.map(monthLabel) },
        yAxis: { type: "value", axisLabel: { formatter: (v) => pct(v, 0) } },
        series: [{ name: "unmapped share", type: "bar", data: months.map((m) => unmapped.get(m) / (cost.get(m) || 1)),
          markLine: { symbol: "none", data: [{ yAxis: target, name: "target" }], label: { formatter: "target " + pct(target) } } }],
      });
      return { figure: Math.round(10000 * sum(list, "unmapped") / (sum(list, "cost") || 1)) / 10000, rows: list.length };
    },

    observability(panel) {
      const list = filtered("scorecard").filter((r) => r.kpi_id === "M6");
      note(panel, "scorecard", "KPI M6: observability cost (its numerator) and its share of usage cost.");
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      chartIn(panel).setOption({
        tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 70, right: 60, top: 30, bottom: 40 },
        xAxis: { type: "category", data: list.map((r) => monthLabel(r.month)) },
        yAxis: [moneyAxis, { type: "value", axisLabel: { formatter: (v) => pct(v, 0) } }],
        series: [
          { name: "observability cost", type: "bar", data: list.map((r) => cents(r.numerator || 0)), tooltip: { valueFormatter: money2 } },
          { name: "share of usage cost", type: "line", yAxisIndex: 1, data: list.map((r) => r.value), tooltip: { valueFormatter: (v) => pct(v) } },
        ],
      });
      return { figure: cents(sum(list, "numerator")), rows: list.length };
    },

    budget(panel) {
      const all = filtered("budget", ["month"]);
      const months = uniqueSorted(all.map((r) => r.month));
      const withActual = uniqueSorted(all.filter((r) => r.actual).map((r) => r.month));
      const latest = withActual.length ? withActual[withActual.length - 1] : months[months.length - 1];
      const month = state.month && months.includes(state.month) ? state.month : latest;
      const list = all.filter((r) => r.month === month);
      note(panel, "budget", "Month " + monthLabel(month) + " (the picked month, else the latest with cost): projected = actual so far + forecast for the rest.");
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      const centers = list.map((r) => r.cost_center);
      chartIn(panel).setOption({
        tooltip: tooltipMoney, legend: { top: 0 }, grid: { left: 70, right: 20, top: 30, bottom: 60 },
        xAxis: { type: "category", data: centers, axisLabel: { rotate: 30 } }, yAxis: moneyAxis,
        series: ["budget", "actual", "projected"].map((key) => ({ name: key, type: "bar", data: list.map((r) => cents(r[key] || 0)) })),
      });
      return { figure: cents(sum(list, "budget")), rows: list.length };
    },

    anomalies(panel) {
      const list = filtered("anomalies").filter((r) => !r.suppressed).slice(0, 10);
      note(panel, "anomalies", "Suppressed anomalies (maintenance windows) are left out.");
      if (!list.length) { empty(panel, "No anomalies for these filters."); return { figure: 0, rows: 0 }; }
      table(panel, [["first seen"], ["last seen"], ["team"], ["provider"], ["service"], ["severity"], ["actual", 1], ["baseline", 1], ["impact", 1]],
        list.map((r) => [esc(r.first_seen), esc(r.last_seen), esc(r.team), esc(r.provider), esc(r.service), esc(r.severity),
          money2(r.actual), money2(r.baseline), "<b>" + money2(r.impact) + "</b>"]));
      return { figure: cents(sum(list, "impact")), rows: list.length };
    },

    scorecard(panel) {
      const all = filtered("scorecard", ["month"]);
      const months = uniqueSorted(all.map((r) => r.month));
      const complete = uniqueSorted(all.filter((r) => r.complete).map((r) => r.month));
      const month = state.month && months.includes(state.month) ? state.month : (complete.length ? complete[complete.length - 1] : months[months.length - 1]);
      const list = all.filter((r) => r.month === month);
      note(panel, "scorecard", "Month " + monthLabel(month) + " (the picked month, else the latest complete one).");
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      const unitMoney = new Intl.NumberFormat("en-US", { style: "currency", currency: currency, minimumFractionDigits: 4, maximumFractionDigits: 4 });
      const one = (unit, v) => v === null || v === undefined ? "" : unit === "currency" ? unitMoney.format(v) : unit === "ratio" ? pct(v, 1) : String(v);
      const show = (r) => r.value === null ? "–" : r.unit === "count" ? String(Math.round(r.value)) : one(r.unit, r.value);
      const statusClass = (s) => s === "ok" ? "status-ok" : s === "warn" ? "status-warn" : s === "breach" ? "status-breach" : "status-na";
      const change = (v) => (v >= 0 ? "+" : "") + pct(v, 1);
      const target = (r) => r.target_type === "max_mom_change" ?
        "rises at most " + pct(r.target_high, 0) + " a month" + (r.measured === null ? "" : " (now " + change(r.measured) + ")") :
        r.target_low === null ? "at most " + one(r.unit, r.target_high) :
        r.target_high === null ? "at least " + one(r.unit, r.target_low) : one(r.unit, r.target_low) + " – " + one(r.unit, r.target_high);
      table(panel, [["KPI"], ["name"], ["value", 1], ["target"], ["status"], ["why not available"]],
        list.map((r) => [esc(r.kpi_id), esc(r.name), show(r), esc(target(r)), '<span class="' + statusClass(r.status) + '">' + esc(r.status) + "</span>", esc(r.reason)]));
      return { figure: list.filter((r) => r.status === "breach").length, rows: list.length };
    },

    burn(panel) {
      const list = filtered("burn");
      note(panel, "burn", "Sum of the selected series; a page is a series-day at the burn threshold or a month projected over the overrun threshold.");
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      const days = uniqueSorted(list.map((r) => r.date));
      const cost = groupSum(list, (r) => r.date, "cost");
      const baseline = groupSum(list, (r) => r.date, "baseline");
      const ratio = list[0].page_burn_ratio;
      const pages = list.filter((r) => r.page_burn || r.page_overrun);
      const pageDays = new Set(list.filter((r) => r.page_burn).map((r) => r.date));
      chartIn(panel).setOption({
        tooltip: tooltipMoney, legend: { top: 0 }, grid: { left: 70, right: 20, top: 30, bottom: 40 },
        xAxis: { type: "category", data: days }, yAxis: moneyAxis,
        series: [
          { name: "actual", type: "line", showSymbol: false, data: days.map((d) => cents(cost.get(d) || 0)),
            markPoint: { symbol: "pin", symbolSize: 30, data: days.filter((d) => pageDays.has(d)).map((d) => ({ coord: [d, cents(cost.get(d) || 0)], value: "page" })) } },
          { name: "baseline", type: "line", showSymbol: false, data: days.map((d) => cents(baseline.get(d) || 0)) },
          { name: ratio + "× baseline (page)", type: "line", showSymbol: false, lineStyle: { type: "dashed" }, data: days.map((d) => cents(ratio * (baseline.get(d) || 0))) },
        ],
      });
      return { figure: pages.length, rows: list.length };
    },

    overrun(panel) {
      const list = filtered("burn");
      note(panel, "burn", "Each team's month as of its last day in the selection: projected cost over the baseline month.");
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      const last = uniqueSorted(list.map((r) => r.date)).pop();
      const today = list.filter((r) => r.date === last);
      const projected = groupSum(today, (r) => r.team || "(none)", "projected_month");
      const base = groupSum(today, (r) => r.team || "(none)", "baseline_month");
      const teams = Array.from(projected.keys()).sort();
      const threshold = list[0].page_overrun_ratio;
      const values = teams.map((t) => base.get(t) ? projected.get(t) / base.get(t) - 1 : 0);
      chartIn(panel).setOption({
        tooltip: { trigger: "axis", valueFormatter: (v) => pct(v) }, grid: { left: 60, right: 20, top: 30, bottom: 60 },
        title: { text: "as of " + last, textStyle: { fontSize: 12, fontWeight: "normal" }, right: 10 },
        xAxis: { type: "category", data: teams, axisLabel: { rotate: 30 } },
        yAxis: { type: "value", axisLabel: { formatter: (v) => pct(v, 0) } },
        series: [{ name: "projected overrun", type: "bar", data: values,
          markLine: { symbol: "none", data: [{ yAxis: threshold }], label: { formatter: "page " + pct(threshold, 0) } } }],
      });
      return { figure: values.filter((v) => v >= threshold).length, rows: today.length };
    },

    violations_by_policy(panel) {
      const list = filtered("violations");
      note(panel, "violations");
      if (!list.length) { empty(panel, "No violations for these filters."); return { figure: 0, rows: 0 }; }
      const counts = new Map();
      list.forEach((r) => counts.set(r.policy_type, (counts.get(r.policy_type) || 0) + 1));
      const types = Array.from(counts.keys()).sort();
      chartIn(panel).setOption({
        tooltip: { trigger: "axis" }, grid: { left: 170, right: 20, top: 10, bottom: 30 },
        yAxis: { type: "category", data: types }, xAxis: { type: "value" },
        series: [{ name: "violations", type: "bar", data: types.map((t) => counts.get(t)) }],
      });
      return { figure: list.length, rows: list.length };
    },

    violations(panel) {
      const list = filtered("violations");
      note(panel, "violations", "The 25 costliest of the selection.");
      if (!list.length) { empty(panel, "No violations for these filters."); return { figure: 0, rows: 0 }; }
      const top = list.slice().sort((a, b) => (b.cost || 0) - (a.cost || 0)).slice(0, 25);
      table(panel, [["month"], ["policy"], ["subject"], ["team"], ["service"], ["days", 1], ["cost", 1], ["detail"], ["route"]],
        top.map((r) => [esc(monthLabel(r.month)), esc(r.policy_id), esc(r.subject), esc(r.team), esc(r.service), esc(r.days),
          money2(r.cost), esc(r.detail), esc(r.route)]));
      return { figure: list.length, rows: top.length };
    },

    incident(panel) {
      note(panel, "daily_cost", "Spend in the window against the mean daily spend of the 14 days before it, and the month projected at the window's daily rate.");
      const form = panel.querySelector("form");
      const list = filtered("daily_cost", ["month"]);
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      const days = uniqueSorted(list.map((r) => r.date));
      const fill = () => {
        const key = form.scope.value;
        const subjects = uniqueSorted(list.map((r) => r[key]).filter(Boolean));
        const keep = form.subject.value;
        form.subject.innerHTML = subjects.map((s) => "<option>" + esc(s) + "</option>").join("");
        if (subjects.includes(keep)) form.subject.value = keep;
      };
      if (!form.dataset.ready) {
        // Start on the largest anomaly (its service and window), else the last week.
        const top = rows("anomalies").find((r) => !r.suppressed);
        form.scope.value = "service";
        fill();
        if (top && top.service) form.subject.value = top.service;
        form.start.value = top ? top.first_seen : days[Math.max(0, days.length - 7)];
        form.end.value = top ? top.last_seen : days[days.length - 1];
        form.dataset.ready = "true";
        form.addEventListener("change", (event) => { if (event.target.name === "scope") fill(); render(panel, "incident"); });
      } else { fill(); }
      const key = form.scope.value, subject = form.subject.value;
      const start = form.start.value, end = form.end.value;
      const series = groupSum(list.filter((r) => r[key] === subject), (r) => r.date, "cost");
      const dayMs = 86400000;
      const toDay = (t) => new Date(t).toISOString().slice(0, 10);
      const windowDays = [];
      for (let t = Date.parse(start); t <= Date.parse(end); t += dayMs) windowDays.push(toDay(t));
      const before = [];
      for (let i = 14; i >= 1; i--) before.push(toDay(Date.parse(start) - i * dayMs));
      const spend = windowDays.reduce((s, d) => s + (series.get(d) || 0), 0);
      const baselineDaily = before.reduce((s, d) => s + (series.get(d) || 0), 0) / before.length;
      const baseline = baselineDaily * windowDays.length;
      const monthStart = end.slice(0, 8) + "01";
      const endDate = new Date(Date.parse(end));
      const monthDays = new Date(Date.UTC(endDate.getUTCFullYear(), endDate.getUTCMonth() + 1, 0)).getUTCDate();
      let toDate = 0;
      for (let t = Date.parse(monthStart); t <= Date.parse(end); t += dayMs) toDate += series.get(toDay(t)) || 0;
      const rate = windowDays.length ? spend / windowDays.length : 0;
      const projection = toDate + rate * (monthDays - Number(end.slice(8, 10)));
      panel.querySelector(".calc-out").innerHTML =
        "<div><b>" + money2(spend) + "</b>spend in the window (" + windowDays.length + " days)</div>" +
        "<div><b>" + money2(baseline) + "</b>at baseline (" + money2(baselineDaily) + " a day)</div>" +
        "<div><b>" + money2(spend - baseline) + "</b>incident delta</div>" +
        "<div><b>" + money2(projection) + "</b>month projected at the window's rate</div>";
      const shown = before.concat(windowDays);
      chartIn(panel).setOption({
        tooltip: tooltipMoney, grid: { left: 70, right: 20, top: 20, bottom: 40 },
        xAxis: { type: "category", data: shown }, yAxis: moneyAxis,
        series: [{ name: subject, type: "bar", data: shown.map((d) => ({ value: cents(series.get(d) || 0), itemStyle: { color: windowDays.includes(d) ? "#c53030" : "#829ab1" } })),
          markLine: { symbol: "none", data: [{ yAxis: cents(baselineDaily) }], label: { formatter: "baseline" } } }],
      });
      return { figure: cents(spend), rows: windowDays.length };
    },

    resource_heatmap(panel) {
      const list = filtered("resources");
      note(panel, "resources", "The resources' own cost before allocation; the 25 costliest of the selection (from the 25 costliest of each month and team).");
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      const totals = groupSum(list, (r) => r.resource, "cost");
      const top = Array.from(totals).sort((a, b) => b[1] - a[1]).slice(0, 25).map((e) => e[0]);
      const keep = list.filter((r) => top.includes(r.resource));
      const days = uniqueSorted(keep.map((r) => r.date));
      const cells = groupSum(keep, (r) => r.resource + "\u0000" + r.date, "cost");
      const label = (id) => id.length > 48 ? "…" + id.slice(-47) : id;
      const data = [];
      cells.forEach((cost, key) => {
        const [resource, day] = key.split("\u0000");
        data.push([days.indexOf(day), top.indexOf(resource), cents(cost)]);
      });
      chartIn(panel).setOption({
        tooltip: { formatter: (p) => esc(top[p.value[1]]) + "<br>" + days[p.value[0]] + ": " + money2(p.value[2]) },
        grid: { left: 330, right: 30, top: 10, bottom: 80 },
        xAxis: { type: "category", data: days }, yAxis: { type: "category", data: top.map(label), inverse: true },
        // The colour scale tops out at the 95th percentile of the cells, so
        // that one costly resource does not wash out every other row.
        visualMap: { min: 0, max: percentile(data.map((d) => d[2]), 0.95), calculable: true, orient: "horizontal", left: "center", bottom: 0, formatter: (v) => money(v) },
        series: [{ type: "heatmap", data: data }],
      });
      return { figure: cents(sum(keep, "cost")), rows: keep.length };
    },

    cost_vs_transactions(panel) {
      const list = filtered("unit_costs").filter((r) => r.transactions !== null && r.transactions > 0);
      note(panel, "unit_costs", "One point per product and day; r is Pearson's correlation.");
      if (list.length < 2) { empty(panel); return { figure: 0, rows: list.length }; }
      const r = pearson(list.map((x) => x.transactions), list.map((x) => x.cost));
      const products = uniqueSorted(list.map((x) => x.product));
      chartIn(panel).setOption({
        title: { text: "r = " + r.toFixed(3), right: 10, textStyle: { fontSize: 12 } },
        tooltip: { formatter: (p) => esc(p.seriesName) + "<br>" + p.value[0].toLocaleString() + " transactions: " + money2(p.value[1]) },
        legend: { top: 0, left: 0 }, grid: { left: 70, right: 20, top: 40, bottom: 40 },
        xAxis: { type: "value", name: "transactions", nameLocation: "middle", nameGap: 25 }, yAxis: moneyAxis,
        series: products.map((p) => ({ name: p, type: "scatter", symbolSize: 6,
          data: list.filter((x) => x.product === p).map((x) => [x.transactions, cents(x.cost)]) })),
      });
      return { figure: Math.round(r * 1000) / 1000, rows: list.length };
    },

    cost_vs_compute(panel) {
      const list = filtered("k8s").filter((x) => x.cpu_hours > 0 || x.memory_gib_hours > 0);
      note(panel, "k8s", "One point per cluster, team and day; r is Pearson's correlation. The idle bucket (node cost no pod requested) is left out.");
      if (list.length < 2) { empty(panel); return { figure: 0, rows: list.length }; }
      const rCpu = pearson(list.map((x) => x.cpu_hours), list.map((x) => x.cost));
      const rMem = pearson(list.map((x) => x.memory_gib_hours), list.map((x) => x.cost));
      chartIn(panel).setOption({
        title: { text: "r(CPU) = " + rCpu.toFixed(3) + "   r(memory) = " + rMem.toFixed(3), right: 10, textStyle: { fontSize: 12 } },
        tooltip: { formatter: (p) => esc(p.seriesName) + ": " + p.value[0].toFixed(1) + " → " + money2(p.value[1]) },
        legend: { top: 0, left: 0 }, grid: { left: 70, right: 20, top: 40, bottom: 40 },
        xAxis: { type: "value", name: "CPU core-hours / memory GiB-hours", nameLocation: "middle", nameGap: 25 }, yAxis: moneyAxis,
        series: [
          { name: "CPU core-hours", type: "scatter", symbolSize: 5, data: list.map((x) => [x.cpu_hours, cents(x.cost)]) },
          { name: "memory GiB-hours", type: "scatter", symbolSize: 5, data: list.map((x) => [x.memory_gib_hours, cents(x.cost)]) },
        ],
      });
      return { figure: Math.round(rCpu * 1000) / 1000, rows: list.length };
    },

    deploys(panel) {
      const all = filtered("deploys");
      const list = all.filter((r) => r.change !== null && r.change !== undefined);
      const windowDays = all.length ? all[0].window_days : 0;
      note(panel, "deploys", "The owning team's usage cost over the " + windowDays + " days before each deploy day against the " + windowDays + " days from it on; the 25 most recent compared deploys.");
      if (!list.length) { empty(panel, "No deploy with complete windows for these filters."); return { figure: 0, rows: 0 }; }
      const recent = list.slice(0, 25);
      const shown = recent.slice().reverse();
      chartIn(panel).setOption({
        tooltip: { trigger: "axis", valueFormatter: (v) => money2(v) }, grid: { left: 70, right: 20, top: 20, bottom: 60 },
        xAxis: { type: "category", data: shown.map((r) => r.date + " " + r.team), axisLabel: { rotate: 30 } }, yAxis: moneyAxis,
        series: [{ name: "cost change", type: "bar", data: shown.map((r) => ({ value: cents(r.change), itemStyle: { color: r.change > 0 ? "#c53030" : "#2f855a" } })) }],
      });
      table(panel, [["deployed at"], ["team"], ["service"], ["environment"], ["version"], ["before", 1], ["after", 1], ["change", 1], ["change %", 1]],
        recent.map((r) => [esc(r.deployed_at.replace("T", " ").slice(0, 16)), esc(r.team), esc(r.service), esc(r.environment), esc(r.version),
          money2(r.cost_before), money2(r.cost_after), money2(r.change), pct(r.change_ratio)]));
      const largest = list.reduce((top, r) => (r.change > top ? r.change : top), -Infinity);
      return { figure: cents(largest), rows: recent.length };
    },

    autoscale(panel) {
      const list = filtered("scaling");
      const events = list.filter((r) => r.scale_event);
      note(panel, "scaling", "A scale-out event: a workload runs at least operations_settings.autoscale_min_pods more pods than its fewest over the baseline days before; bars are the scale size (pods over the baseline) per workload and day.");
      if (!events.length) { empty(panel, "No scale-out event for these filters."); return { figure: 0, rows: 0 }; }
      const days = uniqueSorted(list.map((r) => r.date));
      const keyOf = (r) => r.cluster + " / " + r.workload;
      const keys = uniqueSorted(events.map(keyOf));
      chartIn(panel).setOption({
        tooltip: { trigger: "axis" }, legend: { top: 0, type: "scroll" }, grid: { left: 50, right: 20, top: 40, bottom: 40 },
        xAxis: { type: "category", data: days }, yAxis: { type: "value", name: "pods over baseline" },
        series: keys.map((k) => {
          const byDay = new Map(events.filter((r) => keyOf(r) === k).map((r) => [r.date, r.scale_size]));
          return { name: k, type: "bar", stack: "scale", data: days.map((d) => byDay.get(d) || 0) };
        }),
      });
      const largest = events.slice().sort((a, b) => b.scale_size - a.scale_size || b.cost - a.cost).slice(0, 15);
      table(panel, [["day"], ["cluster"], ["workload"], ["team"], ["pods", 1], ["baseline", 1], ["scale size", 1], ["cost", 1], ["baseline cost", 1]],
        largest.map((r) => [esc(r.date), esc(r.cluster), esc(r.workload), esc(r.team), r.pods, r.baseline_pods, "+" + r.scale_size,
          money2(r.cost), money2(r.baseline_cost)]));
      return { figure: Math.max(...events.map((r) => r.scale_size)), rows: events.length };
    },

    pod_trend(panel) {
      const list = filtered("pods");
      note(panel, "pods", "Each pod's share of its cluster's node cost per day (demand: max of request and usage; idle capacity left out); the 10 costliest pods of the selection.");
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      const keyOf = (r) => r.cluster + " / " + r.pod;
      const totals = Array.from(groupSum(list, keyOf, "cost")).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const top = totals.slice(0, 10).map((x) => x[0]);
      const days = uniqueSorted(list.map((r) => r.date));
      const cells = groupSum(list.filter((r) => top.includes(keyOf(r))), (r) => keyOf(r) + "\u0000" + r.date, "cost");
      chartIn(panel).setOption({
        tooltip: tooltipMoney, legend: { top: 0, type: "scroll" }, grid: { left: 70, right: 20, top: 40, bottom: 40 },
        xAxis: { type: "category", data: days }, yAxis: moneyAxis,
        series: top.map((k) => ({ name: k, type: "line", showSymbol: false, connectNulls: false,
          data: days.map((d) => (cells.has(k + "\u0000" + d) ? cents(cells.get(k + "\u0000" + d)) : null)) })),
      });
      return { figure: cents(totals[0][1]), rows: list.length };
    },

    k8s_trend(panel) {
      const list = filtered("k8s");
      note(panel, "k8s", "Node cost split over the pods' requests, per cluster and team.");
      if (!list.length) { empty(panel); return { figure: 0, rows: 0 }; }
      const days = uniqueSorted(list.map((r) => r.date));
      const keys = uniqueSorted(list.map((r) => r.cluster + " / " + (r.team || "(none)")));
      const cells = groupSum(list, (r) => r.cluster + " / " + (r.team || "(none)") + "\u0000" + r.date, "cost");
      chartIn(panel).setOption({
        tooltip: tooltipMoney, legend: { top: 0, type: "scroll" }, grid: { left: 70, right: 20, top: 40, bottom: 40 },
        xAxis: { type: "category", data: days }, yAxis: moneyAxis,
        series: keys.map((k) => ({ name: k, type: "line", stack: "cost", areaStyle: {}, showSymbol: false,
          data: days.map((d) => cents(cells.get(k + "\u0000" + d) || 0)) })),
      });
      return { figure: cents(sum(list, "cost")), rows: list.length };
    },
  };

  function percentile(values, p) {
    const sorted = values.slice().sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0;
  }

  function pearson(xs, ys) {
    const n = xs.length;
    const mx = xs.reduce((a, b) => a + b, 0) / n, my = ys.reduce((a, b) => a + b, 0) / n;
    let sxy = 0, sxx = 0, syy = 0;
    for (let i = 0; i < n; i++) {
      const dx = xs[i] - mx, dy = ys[i] - my;
      sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
    }
    return sxx && syy ? sxy / Math.sqrt(sxx * syy) : 0;
  }

  function render(panel, name) {
    const old = panel.querySelector(".chart");
    if (old) {
      const chart = echarts.getInstanceByDom(old);
      if (chart) { charts.splice(charts.indexOf(chart), 1); chart.dispose(); }
      old.innerHTML = "";
    }
    const result = PANELS[name](panel);
    panel.dataset.figure = String(result.figure);
    panel.dataset.rows = String(result.rows);
    panel.dataset.rendered = "true";
  }

  function renderAll() {
    document.querySelectorAll("[data-panel]").forEach((panel) => render(panel, panel.dataset.panel));
    document.body.dataset.ready = "true";
  }

  function filterBar() {
    const bar = document.getElementById("filters");
    if (!bar || document.body.dataset.page === "index") { if (bar) bar.remove(); return; }
    const values = {
      team: uniqueSorted(rows("daily_cost").map((r) => r.team).filter(Boolean)),
      cost_center: uniqueSorted(rows("daily_cost").map((r) => r.cost_center).filter(Boolean)),
      provider: uniqueSorted(rows("daily_cost").map((r) => r.provider).filter(Boolean)),
      month: uniqueSorted(rows("daily_cost").map((r) => r.month).filter(Boolean)),
    };
    const hash = new URLSearchParams(location.hash.slice(1));
    FILTERS.forEach(([key, title]) => {
      if (values[key].includes(hash.get(key))) state[key] = hash.get(key);
      const options = ['<option value="">all</option>'].concat(values[key].map((v) =>
        '<option value="' + esc(v) + '"' + (state[key] === v ? " selected" : "") + ">" + esc(key === "month" ? monthLabel(v) : v) + "</option>"));
      const label = document.createElement("label");
      label.innerHTML = esc(title) + ' <select name="' + key + '">' + options.join("") + "</select>";
      bar.appendChild(label);
    });
    bar.addEventListener("change", (event) => {
      state[event.target.name] = event.target.value;
      const params = new URLSearchParams();
      FILTERS.forEach(([key]) => { if (state[key]) params.set(key, state[key]); });
      history.replaceState(null, "", "#" + params.toString());
      renderAll();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const page = document.body.dataset.page;
    document.querySelectorAll("[data-nav]").forEach((a) => { if (a.dataset.nav === page) a.classList.add("active"); });
    document.getElementById("build-info").textContent = "build " + DATA.build.invocation_id.slice(0, 8) + " · " + DATA.build.built_at.slice(0, 16).replace("T", " ") + " · " + currency;
    filterBar();
    renderAll();
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  });
})();
