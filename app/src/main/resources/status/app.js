// Vigil status page: the board (/api/status) and the recent alerts (/api/alerts) fetched first, so the page
// shows what exists at once, then live updates over server-sent events.
// Article text is untrusted: it is only ever set as textContent, and links only as http(s) hrefs.
(function () {
  "use strict";
  var LEVEL_COLORS = { elevated: "#d9a400", high: "#e2711d", critical: "#c62828" };
  var charts = {};   // topic -> { plot, xs, ys, card }
  var thresholds = {};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function safeHref(url) { return /^https?:\/\//i.test(url || "") ? url : null; }
  // every time on the page is UTC, written the same way, 24-hour: the alerts', the chart's axis and its legend
  function iso(ms) { return new Date(ms).toISOString().replace("T", " "); }
  function time(ms) { return iso(ms).slice(0, 16) + "Z"; }
  function seconds(ms) { return iso(ms).slice(0, 19) + "Z"; }
  function tick(ms, step) { return step >= 86400 ? iso(ms).slice(5, 10) : iso(ms).slice(11, step >= 60 ? 16 : 19); }

  function topicCard(t) {
    var card = el("div", "card topic");
    card.dataset.topic = t.topic;
    var head = el("div", "card-head");
    head.appendChild(el("span", "name", t.topic));
    var level = el("span", "level " + t.level, t.level);
    head.appendChild(level);
    var score = el("span", "score", "");
    head.appendChild(score);
    card.appendChild(head);
    var chart = el("div", "chart");
    card.appendChild(chart);
    return { card: card, level: level, score: score, chart: chart };
  }

  function renderTopic(t) {
    var c = charts[t.topic];
    if (!c) {
      var parts = topicCard(t);
      document.getElementById("topics").appendChild(parts.card);
      var nt = document.getElementById("no-topics");
      if (nt) { nt.remove(); }
      thresholds = t.thresholds || thresholds;
      c = charts[t.topic] = { parts: parts, xs: [], ys: [], plot: null };
      setPoints(c, t.points);
      makePlot(c);
    } else if (t.points) {
      // a later snapshot (the stream's first event, a reconnect) carries every point: it replaces what was drawn
      setPoints(c, t.points);
      if (c.plot) { c.plot.setData(plotData(c)); showLatest(c.plot); }
    }
    setLevel(c, t.level, t.score, t.stories, t.sources);
  }

  function setLevel(c, level, score, stories, sources) {
    c.parts.level.className = "level " + level;
    c.parts.level.textContent = level;
    c.parts.card.dataset.level = level;
    var text = "score " + Number(score).toFixed(1);
    if (stories !== undefined) { text += " · " + stories + " stories from " + sources + " outlets"; }
    c.parts.score.textContent = text;
  }

  function setPoints(c, points) {
    c.xs.length = 0;
    c.ys.length = 0;
    (points || []).forEach(function (p) { c.xs.push(p.t / 1000); c.ys.push(p.score); });
  }

  // the legend shows the latest values whenever the cursor is not over the chart (uPlot shows "--")
  function showLatest(u) {
    var last = u.data[0].length - 1;
    if (last >= 0 && u.legend.idx == null) { u.setLegend({ idx: last }); }
  }

  // ticks fall on UTC minutes, hours and days
  function utc(ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); }

  // the score, then one flat line per threshold, over the same x values
  function plotData(c) {
    var data = [c.xs, c.ys];
    c.levels.forEach(function (v) { data.push(c.xs.map(function () { return v; })); });
    return data;
  }

  function makePlot(c) {
    if (typeof uPlot === "undefined") { return; }
    var series = [{ label: "time (UTC)", value: function (u, v) { return v == null ? "--" : seconds(v * 1000); } }, { label: "score", stroke: "#1d2330", width: 2,
      value: function (u, v) { return v == null ? "--" : Number(v).toFixed(1); } }];
    c.levels = [];
    ["elevated", "high", "critical"].forEach(function (name) {
      if (thresholds[name] !== undefined) {
        series.push({ label: name + " " + thresholds[name], stroke: LEVEL_COLORS[name], dash: [6, 4], width: 1, points: { show: false } });
        c.levels.push(thresholds[name]);
      }
    });
    var data = plotData(c);
    var width = Math.max(300, c.parts.chart.clientWidth || 600);
    window.vigilCharts = window.vigilCharts || {};
    c.plot = window.vigilCharts[c.parts.card.dataset.topic] = new uPlot({ width: width, height: 170, series: series, scales: { x: { time: true } },
      tzDate: utc, hooks: { setLegend: [showLatest] },
      axes: [{ label: "time (UTC)", values: function (u, splits, axis, space, step) { return splits.map(function (v) { return tick(v * 1000, step); }); } },
        { label: "score" }] }, data, c.parts.chart);
    showLatest(c.plot);
  }

  function addPoint(p) {
    var c = charts[p.topic];
    if (!c) { renderTopic({ topic: p.topic, level: p.level, score: p.score, points: [], thresholds: thresholds }); c = charts[p.topic]; }
    c.xs.push(p.t / 1000);
    c.ys.push(p.score);
    if (c.xs.length > 1500) { c.xs.shift(); c.ys.shift(); }
    setLevel(c, p.level, p.score);
    if (c.plot) { c.plot.setData(plotData(c)); showLatest(c.plot); }
  }

  function renderFeeds(f) {
    var box = document.getElementById("feeds");
    box.textContent = "";
    var warning = document.getElementById("feeds-warning");
    warning.textContent = f && f.warning ? f.warning + ": every feed polled so far failed" : "";
    warning.hidden = !(f && f.warning);
    if (!f || f.total === 0) { box.appendChild(el("span", "muted", "This process polls no feeds.")); return; }
    [["ok", f.ok], ["slowed", f.slowed], ["failing", f.failing], ["pending", f.pending]].forEach(function (kv) {
      var c = el("div", "count " + kv[0]);
      c.appendChild(el("b", null, kv[1]));
      c.appendChild(el("span", null, kv[0]));
      box.appendChild(c);
    });
    var list = document.getElementById("feed-problems");
    list.textContent = "";
    (f.problems || []).forEach(function (p) {
      list.appendChild(el("li", null, p.feed + " — " + p.state + " (" + p.failures + " failed polls)" + (p.lastError ? ": " + p.lastError : "")));
    });
  }

  function renderThroughput(t) {
    var box = document.getElementById("throughput");
    box.textContent = "";
    [["ingested/s", t.ingestedPerSecond], ["tagged/s", t.taggedPerSecond]].forEach(function (kv) {
      var c = el("div", "count");
      c.appendChild(el("b", null, Number(kv[1] || 0).toFixed(1)));
      c.appendChild(el("span", null, kv[0]));
      box.appendChild(c);
    });
  }

  function renderAlert(a, prepend) {
    var d = a.data;
    var list = document.getElementById("alerts");
    var none = document.getElementById("no-alerts");
    if (none) { none.remove(); }
    if (list.querySelector('[data-id="' + CSS.escape(a.id) + '"]')) { return; }
    var li = el("li", "alert " + d.level);
    li.dataset.id = a.id;
    var head = el("div");
    head.appendChild(el("b", null, d.topic + " " + d.previousLevel + " → " + d.level));
    head.appendChild(document.createTextNode(" (" + d.transition + ", score " + Number(d.score).toFixed(1) + ") "));
    head.appendChild(el("span", "when", time(Date.parse(a.time))));
    li.appendChild(head);
    var stories = el("ul");
    (d.stories || []).slice(0, 3).forEach(function (s) {
      var item = el("li", "story");
      var href = safeHref(s.url);
      var title = href ? el("a", null, s.title) : el("span", null, s.title);
      if (href) { title.href = href; title.rel = "noopener noreferrer"; title.target = "_blank"; }
      item.appendChild(title);
      var outlets = (s.outlets && s.outlets.length ? s.outlets : [s.source]).join(", ");
      item.appendChild(document.createTextNode(" — " + outlets));
      var terms = (s.evidence || []).map(function (e) { return e.term; }).filter(function (v, i, all) { return all.indexOf(v) === i; });
      if (terms.length) { item.appendChild(el("div", "terms", "matched: " + terms.join(", "))); }
      stories.appendChild(item);
    });
    li.appendChild(stories);
    if (prepend) { list.insertBefore(li, list.firstChild); } else { list.appendChild(li); }
    while (list.children.length > 20) { list.removeChild(list.lastChild); }
  }

  function health() {
    fetch("/health/ready").then(function (r) {
      var h = document.getElementById("health");
      h.className = "pill " + (r.ok ? "ready" : "down");
      h.textContent = r.ok ? "ready" : "not ready";
    }).catch(function () {
      var h = document.getElementById("health");
      h.className = "pill down";
      h.textContent = "unreachable";
    });
  }

  function renderSnapshot(s) {
    thresholds = s.thresholds || thresholds;
    s.topics.forEach(renderTopic);
    renderFeeds(s.feeds);
    renderThroughput(s.throughput);
  }

  function connect() {
    var source = new EventSource("/api/status/stream");
    source.addEventListener("snapshot", function (e) {
      renderSnapshot(JSON.parse(e.data));
      document.getElementById("live").textContent = "live";
    });
    source.addEventListener("update", function (e) {
      var u = JSON.parse(e.data);
      u.points.forEach(addPoint);
      renderFeeds(u.feeds);
      renderThroughput(u.throughput);
    });
    source.onerror = function () { document.getElementById("live").textContent = "reconnecting…"; };
  }

  function alerts() {
    // one stream that starts with the last ten alerts and follows, so nothing falls between the first fetch
    // and the stream (what both carry is drawn once, by id); the browser resumes it with Last-Event-ID after
    // a drop; a process without the alerts service answers 404 and the section stays empty
    var stream = new EventSource("/api/alerts/stream?recent=10");
    stream.addEventListener("alert", function (e) { renderAlert(JSON.parse(e.data), true); });
  }

  // the first paint: what exists now, before any stream delivers; a failed fetch leaves its section to the stream
  function json(url) {
    return fetch(url).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
  }

  health();
  setInterval(health, 10000);
  Promise.all([json("/api/status"), json("/api/alerts?limit=10")]).then(function (first) {
    if (first[0]) { renderSnapshot(first[0]); }
    if (first[1]) { first[1].alerts.forEach(function (a) { renderAlert(a, false); }); }
  }).finally(function () {
    connect();
    alerts();
  });
}());
