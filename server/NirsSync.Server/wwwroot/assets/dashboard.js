// NirsSync dashboard charts: reads the JSON API the pages name in data attributes and draws with uPlot
// (served from /lib/uplot, installed from npm at build time). No inline scripts: the server's CSP allows only its files.
(function () {
  'use strict';
  var PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
  var charts = [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function fmt(v, d) { return v == null || isNaN(v) ? '–' : v.toFixed(d == null ? 1 : d); }
  function widthOf(box) { return Math.max(240, Math.floor(box.getBoundingClientRect().width) - 10); }

  async function getJson(url) {
    var r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(url + ': ' + r.status);
    return r.json();
  }

  // A y scale that never spans less than `minSpan` (tHb 12.51 vs 12.52 must not look like a swing).
  function rangeWithSpan(minSpan) {
    return function (u, min, max) {
      if (min == null || max == null) return [0, 1];
      var span = max - min, pad = Math.max(span * 0.08, 0.01);
      if (span < minSpan) { var mid = (min + max) / 2; return [mid - minSpan / 2, mid + minSpan / 2]; }
      return [min - pad, max + pad];
    };
  }

  function mount(box, title, opts, data) {
    box.textContent = '';
    box.appendChild(el('div', 'title', title));
    opts.width = widthOf(box);
    var u = new uPlot(opts, data, box);
    charts.push({ u: u, box: box });
    box.dataset.drawn = 'true';
    return u;
  }

  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.u.setSize({ width: widthOf(c.box), height: c.u.height }); });
  });

  // ---------- athlete page: weekly trends ----------
  var SPAN = { smo2: 10, functional_range: 10, thb_p50: 1, asymmetry_p50: 10, correlation: 0.2 };
  var UNIT = { smo2: '%', functional_range: '%', thb_p50: 'g/dL', asymmetry_p50: '%', correlation: '' };

  function trendChart(box, weeks, byMetric, kind) {
    var xs = weeks.map(function (d) { return Date.parse(d + 'T00:00:00Z') / 1000; });
    function align(series, pick) {
      var m = {};
      (series ? series.weeks : []).forEach(function (w) { m[w.weekStart] = w; });
      return weeks.map(function (d) { var w = m[d]; return w ? pick(w) : null; });
    }
    var unit = UNIT[kind] || '';
    var series = [{}], data = [xs], bands = [];
    var main;
    if (kind === 'smo2') {
      var p5 = byMetric.smo2_p5, p95 = byMetric.smo2_p95;
      main = byMetric.smo2_p50;
      data.push(align(p95, function (w) { return w.value; }), align(p5, function (w) { return w.value; }));
      series.push({ label: 'P95', stroke: 'rgba(31,119,180,.45)', width: 1, value: function (u, v) { return fmt(v) + ' %'; } },
        { label: 'P5', stroke: 'rgba(31,119,180,.45)', width: 1, value: function (u, v) { return fmt(v) + ' %'; } });
      bands.push({ series: [1, 2], fill: 'rgba(31,119,180,.12)' });
    } else {
      main = byMetric[kind];
      if (!main) return false;
      var hasNoise = main.weeks.some(function (w) { return w.noiseBand != null && w.baseline != null; });
      var hasSpread = main.weeks.some(function (w) { return w.spread != null; });
      if (hasNoise) {
        data.push(align(main, function (w) { return w.baseline != null && w.noiseBand != null ? w.baseline + w.noiseBand : null; }),
          align(main, function (w) { return w.baseline != null && w.noiseBand != null ? w.baseline - w.noiseBand : null; }),
          align(main, function (w) { return w.baseline; }));
        series.push({ label: 'noise +', stroke: 'rgba(255,127,14,.35)', width: 1, value: function (u, v) { return fmt(v); } },
          { label: 'noise −', stroke: 'rgba(255,127,14,.35)', width: 1, value: function (u, v) { return fmt(v); } },
          { label: 'baseline', stroke: '#ff7f0e', width: 1.5, dash: [6, 4], value: function (u, v) { return fmt(v, 2) + ' ' + unit; } });
        bands.push({ series: [1, 2], fill: 'rgba(255,127,14,.14)' });
      }
      if (hasSpread) {
        var s = series.length;
        data.push(align(main, function (w) { return w.spread != null ? w.value + w.spread : null; }),
          align(main, function (w) { return w.spread != null ? w.value - w.spread : null; }));
        series.push({ label: '+SD', stroke: 'rgba(120,120,120,.3)', width: 1, value: function (u, v) { return fmt(v, 2); } },
          { label: '−SD', stroke: 'rgba(120,120,120,.3)', width: 1, value: function (u, v) { return fmt(v, 2); } });
        bands.push({ series: [s, s + 1], fill: 'rgba(120,120,120,.10)' });
      }
    }
    if (!main) return false;
    var color = kind === 'asymmetry_p50' ? '#d62728' : kind === 'thb_p50' ? '#9467bd' : kind === 'functional_range' ? '#2ca02c' : '#1f77b4';
    var digits = kind === 'thb_p50' || kind === 'correlation' ? 2 : 1;
    var valueIdx = series.length;
    data.push(align(main, function (w) { return w.value; }));
    series.push({ label: kind === 'smo2' ? 'P50' : 'week', stroke: color, width: 2, points: { show: true, size: 6 },
      value: function (u, v) { return fmt(v, digits) + (unit ? ' ' + unit : ''); } });
    data.push(align(main, function (w) { return w.flag ? w.value : null; }));
    series.push({ label: 'flag', stroke: '#a01919', width: 0, paths: function () { return null; },
      points: { show: true, size: 11, fill: '#d62728', stroke: '#fff', width: 2 },
      value: function (u, v) { return v == null ? '–' : 'beyond noise'; } });
    var rides = align(main, function (w) { return w.rides; });
    var opts = {
      height: 190,
      series: series,
      bands: bands,
      scales: { x: { time: true }, y: { range: rangeWithSpan(SPAN[kind] || 1) } },
      axes: [{ size: 30, values: function (u, ticks) { return ticks.map(function (t) { var d = new Date(t * 1000); return (d.getUTCMonth() + 1) + '/' + d.getUTCDate(); }); } },
        { size: 42, label: unit || undefined, labelSize: 14 }],
      legend: { live: true },
      cursor: { sync: { key: 'weeks-' + box.closest('[data-athlete]').dataset.athlete } },
    };
    var u = mount(box, box.dataset.title, opts, data);
    box.dataset.points = String(data[valueIdx].filter(function (v) { return v != null; }).length);
    box.dataset.flags = String(data[valueIdx + 1].filter(function (v) { return v != null; }).length);
    // hide the helper series from the legend but keep their bands
    u.root.querySelectorAll('.u-legend .u-series').forEach(function (row, i) {
      var label = series[i] && series[i].label;
      if (label && /noise|SD|P95|P5/.test(label) && label !== 'P50') row.classList.add('helper');
    });
    box.title = rides.some(function (r) { return r; }) ? 'weekly means; hover for values, drag to zoom, double-click to reset' : '';
    return true;
  }

  async function athletePage(root) {
    var body = await getJson('/api/athletes/' + root.dataset.athlete + '/trends');
    var t = body.trends || { muscles: [], pairs: [] };
    var all = (t.muscles || []).concat(t.pairs || []);
    var weeks = Array.from(new Set([].concat.apply([], all.map(function (s) { return s.weeks.map(function (w) { return w.weekStart; }); })))).sort();
    var bySubject = {};
    all.forEach(function (s) { (bySubject[s.subject] = bySubject[s.subject] || {})[s.metric] = s; });
    root.querySelectorAll('.charts[data-subject]').forEach(function (group) {
      var metrics = bySubject[group.dataset.subject] || {};
      group.querySelectorAll('.chart[data-kind]').forEach(function (box) {
        if (!trendChart(box, weeks, metrics, box.dataset.kind)) { box.classList.add('empty'); box.textContent = box.dataset.title + ': no data yet'; }
      });
    });
  }

  // ---------- ride page ----------
  function shade(efforts, laps) {
    return function (u) {
      var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height;
      ctx.save();
      ctx.fillStyle = 'rgba(214,39,40,.08)';
      efforts.forEach(function (e) {
        var x0 = u.valToPos(e.startS, 'x', true), x1 = u.valToPos(e.startS + e.durationS, 'x', true);
        ctx.fillRect(x0, top, Math.max(1, x1 - x0), h);
      });
      ctx.strokeStyle = 'rgba(23,50,77,.35)';
      ctx.setLineDash([4, 4]);
      laps.forEach(function (l) {
        if (l.startS <= 0) return;
        var x = Math.round(u.valToPos(l.startS, 'x', true)) + 0.5;
        ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + h); ctx.stroke();
      });
      ctx.restore();
    };
  }

  function clock(s) {
    s = Math.round(s);
    var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
    return (h ? h + ':' + String(m).padStart(2, '0') : String(m)) + ':' + String(sec).padStart(2, '0');
  }

  async function ridePage(root) {
    var ride = await getJson('/api/rides/' + root.dataset.ride);
    var s = ride.series || { seconds: [], power: [], channels: [] };
    var metrics = ride.metrics || [];
    var efforts = metrics.length ? (metrics[0].efforts || []) : [];
    var laps = metrics.length ? (metrics[0].laps || []) : [];
    var xs = s.seconds;
    var group = [];
    var syncing = false;
    function common(height, unit, minSpan) {
      return {
        height: height,
        scales: { x: { time: false }, y: { range: rangeWithSpan(minSpan) } },
        axes: [{ size: 30, values: function (u, t) { return t.map(clock); } }, { size: 46, label: unit, labelSize: 14 }],
        cursor: { sync: { key: 'ride-' + ride.id, setSeries: false }, drag: { x: true, y: false } },
        legend: { live: true },
        hooks: {
          drawClear: [shade(efforts, laps)],
          setScale: [function (u, key) {
            if (key !== 'x') return;
            // The visible time range, for readers of the page (and its tests): seconds from the ride's start.
            u.root.parentElement.dataset.xmin = String(Math.round(u.scales.x.min));
            u.root.parentElement.dataset.xmax = String(Math.round(u.scales.x.max));
            if (syncing) return;
            syncing = true;
            group.forEach(function (o) { if (o !== u) o.setScale('x', { min: u.scales.x.min, max: u.scales.x.max }); });
            syncing = false;
          }],
        },
      };
    }
    function time(u, v) { return v == null ? '–' : clock(v); }
    var boxes = {};
    root.querySelectorAll('.chart[data-kind]').forEach(function (b) { boxes[b.dataset.kind] = b; });
    if (boxes.power) {
      var o = common(150, 'W', 50);
      o.series = [{ value: time }, { label: 'power', stroke: '#444', width: 1.2, fill: 'rgba(68,68,68,.08)', value: function (u, v) { return fmt(v, 0) + ' W'; } }];
      group.push(mount(boxes.power, 'Power', o, [xs, s.power]));
      boxes.power.dataset.points = String(s.power.filter(function (v) { return v != null; }).length);
    }
    function perChannel(kind, title, unit, pick, span, digits) {
      var box = boxes[kind];
      if (!box) return;
      if (!s.channels.length) { box.classList.add('empty'); box.textContent = 'No muscle-oxygen channel in this ride.'; return; }
      var o = common(kind === 'smo2' ? 220 : 170, unit, span);
      o.series = [{ value: time }].concat(s.channels.map(function (c, i) {
        return { label: c.label, stroke: PALETTE[i % PALETTE.length], width: 1.4, spanGaps: false, value: function (u, v) { return fmt(v, digits) + ' ' + unit; } };
      }));
      group.push(mount(box, title, o, [xs].concat(s.channels.map(pick))));
      box.dataset.points = String(s.channels.map(pick).reduce(function (n, a) { return n + a.filter(function (v) { return v != null; }).length; }, 0));
    }
    perChannel('smo2', 'SmO2 per muscle', '%', function (c) { return c.smo2; }, 10, 1);
    perChannel('thb', 'tHb per muscle', 'g/dL', function (c) { return c.thb; }, 1, 2);
    var pairs = (ride.pairs || []).map(function (p) {
      var a = s.channels.find(function (c) { return c.key === p.a; }), b = s.channels.find(function (c) { return c.key === p.b; });
      return a && b ? { name: p.name, a: a, b: b } : null;
    }).filter(Boolean);
    if (boxes.difference) {
      if (!pairs.length) { boxes.difference.classList.add('empty'); boxes.difference.textContent = 'No partner muscles in this ride, so no difference trace.'; }
      else {
        var o2 = common(170, '%', 10);
        o2.series = [{ value: time }].concat(pairs.map(function (p, i) {
          return { label: p.name + ' (' + p.a.label + ' − ' + p.b.label + ')', stroke: PALETTE[(i + 3) % PALETTE.length], width: 1.4, value: function (u, v) { return (v > 0 ? '+' : '') + fmt(v) + ' %'; } };
        }));
        var diffs = pairs.map(function (p) { return p.a.smo2.map(function (v, i) { var w = p.b.smo2[i]; return v == null || w == null ? null : Math.round((v - w) * 100) / 100; }); });
        var du = mount(boxes.difference, 'SmO2 difference between partners', o2, [xs].concat(diffs));
        group.push(du);
        boxes.difference.dataset.points = String(diffs.reduce(function (n, a) { return n + a.filter(function (v) { return v != null; }).length; }, 0));
      }
    }
    group.forEach(function (u) {
      var box = u.root.parentElement;
      if (!box.dataset.xmax && xs.length) { box.dataset.xmin = String(xs[0]); box.dataset.xmax = String(xs[xs.length - 1]); }
    });
    // Muscles on and off: one checkbox per channel toggles its SmO2 and tHb lines and every difference it is part of.
    var toggles = root.querySelector('.toggles');
    if (toggles) {
      s.channels.forEach(function (c, i) {
        var label = el('label'), box = el('input'), sw = el('span', 'swatch s' + (i % PALETTE.length));
        box.type = 'checkbox'; box.checked = true; box.dataset.channel = c.key;
        label.appendChild(box); label.appendChild(sw); label.appendChild(document.createTextNode(c.label));
        box.addEventListener('change', function () {
          group.forEach(function (u) {
            u.series.forEach(function (ser, k) {
              if (!k) return;
              var on = ser.label === c.label || (ser.label.indexOf('(' + c.label + ' − ') >= 0) || (ser.label.indexOf(' − ' + c.label + ')') >= 0);
              if (on) u.setSeries(k, { show: box.checked });
            });
          });
        });
        toggles.appendChild(label);
      });
    }
    document.querySelectorAll('button.zoom').forEach(function (b) {
      b.addEventListener('click', function () {
        var from = Number(b.dataset.from), to = Number(b.dataset.to);
        if (b.dataset.reset) { from = xs[0]; to = xs[xs.length - 1]; }
        group.forEach(function (u) { u.setScale('x', { min: from, max: to }); });
        root.scrollIntoView({ behavior: 'smooth', block: 'start' });
      });
    });
  }

  // ---------- team overview: sort by column without a reload ----------
  function overview(table) {
    table.querySelectorAll('th[data-sort] a').forEach(function (a) {
      a.addEventListener('click', function (ev) {
        ev.preventDefault();
        var key = a.parentElement.dataset.sort, body = table.tBodies[0];
        var rows = Array.from(body.rows);
        rows.sort(function (x, y) {
          var vx = x.dataset[key] || '', vy = y.dataset[key] || '';
          var c = key === 'name' ? vx.localeCompare(vy) : Number(vy) - Number(vx);
          return c !== 0 ? c : (x.dataset.name || '').localeCompare(y.dataset.name || '');
        });
        rows.forEach(function (r) { body.appendChild(r); });
        history.replaceState(null, '', '?sort=' + key);
      });
    });
  }

  function run(fn, root) {
    fn(root).catch(function (e) {
      var p = el('p', 'error', 'Charts could not be drawn: ' + e.message);
      p.setAttribute('role', 'alert');
      root.prepend(p);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (typeof uPlot === 'undefined') return;
    var a = document.querySelector('[data-athlete-trends]');
    if (a) run(athletePage, a);
    var r = document.querySelector('[data-ride]');
    if (r) run(ridePage, r);
    var o = document.querySelector('table.overview');
    if (o) overview(o);
  });
})();
