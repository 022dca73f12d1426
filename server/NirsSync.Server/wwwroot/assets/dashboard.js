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
  var SPAN = { smo2: 10, functional_range: 10, thb_p50: 1, asymmetry_p50: 10, correlation: 0.2, rest_difference: 6 };
  var UNIT = { smo2: '%', functional_range: '%', thb_p50: 'g/dL', asymmetry_p50: '%', correlation: '', rest_difference: 'pts' };

  function trendChart(box, weeks, byMetric, kind, marks) {
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
    var color = kind === 'asymmetry_p50' || kind === 'rest_difference' ? '#d62728' : kind === 'thb_p50' ? '#9467bd' : kind === 'functional_range' ? '#2ca02c' : '#1f77b4';
    var digits = kind === 'thb_p50' || kind === 'correlation' ? 2 : 1;
    var valueIdx = series.length;
    data.push(align(main, function (w) { return w.value; }));
    // Spot checks come every week or every other week per site: their line joins the weeks measured.
    series.push({ label: kind === 'smo2' ? 'P50' : 'week', stroke: color, width: 2, points: { show: true, size: 6 }, spanGaps: kind === 'rest_difference',
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
      hooks: marks ? { draw: [drawMarks(box, marks)] } : {},
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


  // ---------- athlete page: placements, spot checks and flagged weeks on the time axis ----------
  var WEEK = 7 * 86400;

  // What of the page's markers belongs to a chart of `subject` ("vastus_lateralis/left" or "A|B").
  function marksFor(subject, placements, checks, flagWeeks) {
    var sites = subject.split('|');
    return {
      placements: placements.filter(function (p) { return sites.indexOf(p.subject) >= 0; }),
      checks: checks.filter(function (c) {
        return sites.some(function (site) { return c.entries.some(function (e) { return e.muscle + '/' + e.side === site; }); });
      }),
      flags: flagWeeks[subject] || [],
    };
  }

  // A draw hook: flagged weeks shaded red, placements as purple lines labelled with muscle and note, spot checks as
  // green triangles on the time axis. Counts of what was drawn inside the visible range go to the chart's data-*.
  function drawMarks(box, marks) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox, min = u.scales.x.min, max = u.scales.x.max, dpr = devicePixelRatio || 1;
      var drawn = { placements: 0, checks: 0, flags: 0 };
      ctx.save();
      ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
      ctx.fillStyle = 'rgba(214,39,40,.10)';
      marks.flags.forEach(function (w) {
        // A week's point sits on its Monday; its shading spans half a week either side.
        if (w + WEEK / 2 < min || w - WEEK / 2 > max) return;
        var x0 = u.valToPos(w - WEEK / 2, 'x', true), x1 = u.valToPos(w + WEEK / 2, 'x', true);
        ctx.fillRect(x0, b.top, x1 - x0, b.height);
        drawn.flags++;
      });
      ctx.strokeStyle = '#7b3fa0'; ctx.fillStyle = '#7b3fa0'; ctx.lineWidth = 2 * dpr;
      ctx.font = (11 * dpr) + 'px system-ui, sans-serif'; ctx.textBaseline = 'top'; ctx.textAlign = 'left';
      marks.placements.forEach(function (p) {
        if (p.from < min || p.from > max) return;
        var x = Math.round(u.valToPos(p.from, 'x', true)) + 0.5;
        ctx.beginPath(); ctx.moveTo(x, b.top); ctx.lineTo(x, b.top + b.height); ctx.stroke();
        // The label goes on the side of the line with more room, shortened to fit it (the full note is in the list below).
        var right = b.left + b.width - x - 6 * dpr, left = x - b.left - 6 * dpr, room = Math.max(right, left);
        var label = p.label;
        while (label.length > 4 && ctx.measureText(label).width > room) label = label.slice(0, label.length - 2).replace(/…$/, '') + '…';
        var w = ctx.measureText(label).width;
        var tx = right >= left ? x + 4 * dpr : x - 4 * dpr - w;
        ctx.fillStyle = 'rgba(255,255,255,.85)'; ctx.fillRect(tx - 2 * dpr, b.top + 2 * dpr, w + 4 * dpr, 14 * dpr);
        ctx.fillStyle = '#7b3fa0'; ctx.fillText(label, tx, b.top + 3 * dpr);
        drawn.placements++;
      });
      ctx.fillStyle = '#2ca02c'; ctx.strokeStyle = '#fff'; ctx.lineWidth = 1 * dpr;
      marks.checks.forEach(function (c) {
        if (c.at < min || c.at > max) return;
        var x = u.valToPos(c.at, 'x', true), y = b.top + b.height, s = 6 * dpr;
        ctx.beginPath(); ctx.moveTo(x, y - 1.6 * s); ctx.lineTo(x - s, y); ctx.lineTo(x + s, y); ctx.closePath(); ctx.fill(); ctx.stroke();
        drawn.checks++;
      });
      ctx.restore();
      box.dataset.placements = String(drawn.placements);
      box.dataset.spotChecks = String(drawn.checks);
      box.dataset.flagWeeks = String(drawn.flags);
    };
  }

  function cap(t) { return t ? t.charAt(0).toUpperCase() + t.slice(1) : t; }
  function muscleName(m) { return cap(String(m).replace(/_head$/, '').replace(/_/g, ' ')); }
  function sideShort(s) { return s === 'left' ? 'L' : s === 'right' ? 'R' : ''; }

  // "Vastus lateralis L/R", "Gastrocnemius medial/lateral L", "Vastus lateralis/medialis R".
  function ratioName(r) {
    if (r.relation === 'left_right') return muscleName(r.a.muscle) + ' L/R';
    if (r.relation === 'gastrocnemius_medial_lateral') return 'Gastrocnemius medial/lateral ' + sideShort(r.a.side);
    if (r.relation === 'vastus_lateralis_medialis') return 'Vastus lateralis/medialis ' + sideShort(r.a.side);
    return muscleName(r.a.muscle) + ' ' + sideShort(r.a.side) + ' / ' + muscleName(r.b.muscle) + ' ' + sideShort(r.b.side);
  }

  // The analysis' pair names as a coach reads them (Dashboard/Names.Pair): "vastus_lateralis left/right" → "Vastus lateralis L/R".
  function pairName(name) {
    var m = /^([a-z_]+) left\/right$/.exec(name || '');
    if (m) return muscleName(m[1]) + ' L/R';
    m = /^([a-z_]+)\/([a-z_]+) (left|right|unknown)$/.exec(name || '');
    if (!m) return name;
    var a = muscleName(m[1]).split(' '), b = muscleName(m[2]).split(' ');
    var joined = a.length > 1 && b.length > 1 && a[0].toLowerCase() === b[0].toLowerCase()
      ? a[0] + ' ' + a.slice(1).join(' ') + '/' + b.slice(1).join(' ') : a.join(' ') + '/' + b.join(' ').toLowerCase();
    return joined + (sideShort(m[3]) ? ' ' + sideShort(m[3]) : '');
  }

  var RECENT_CHECKS = 6;

  function spotChecks(section, checks, restTrends, weeks) {
    section.querySelectorAll('p.muted').forEach(function (p) { p.remove(); });
    if (!checks.length) { section.appendChild(el('p', 'muted', 'No resting spot checks yet.')); return; }
    section.appendChild(el('p', 'muted', 'One sensor held on each muscle at rest; partners compared as A − B (points) and A / B. Markers on the charts above show when. The latest ' + Math.min(RECENT_CHECKS, checks.length) + ' of ' + checks.length + ' are listed.'));
    var table = el('table', 'spot-checks'), head = table.createTHead().insertRow();
    ['Taken (UTC)', 'Condition', 'Muscles at rest', 'Partners', 'Note'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    var body = table.createTBody();
    checks.forEach(function (c) {
      var row = body.insertRow();
      row.dataset.check = c.id;
      if (body.rows.length > RECENT_CHECKS) row.className = 'older';
      var d = new Date(c.takenAt);
      var when = row.insertCell();
      when.className = 'when';
      when.textContent = d.toISOString().slice(0, 16).replace('T', ' ');
      row.insertCell().textContent = String(c.condition).replace(/_/g, ' ') + (c.source === 'data_field' ? ' (data field)' : '');
      var sites = row.insertCell();
      sites.className = 'sites';
      c.entries.forEach(function (e) {
        sites.appendChild(el('div', null, muscleName(e.muscle) + ' ' + sideShort(e.side) + ': ' + fmt(e.smo2) + ' %' + (e.thb != null ? ' · ' + fmt(e.thb, 2) + ' g/dL' : '')));
      });
      var ratios = row.insertCell();
      ratios.className = 'ratios';
      if (!c.ratios.length) ratios.textContent = '–';
      c.ratios.forEach(function (r) {
        var line = el('div', 'ratio', ratioName(r) + ': ' + (r.difference > 0 ? '+' : '') + fmt(r.difference) + ' pts' + (r.ratio != null ? ', ratio ' + fmt(r.ratio, 2) : ''));
        line.dataset.ratio = r.ratio == null ? '' : String(r.ratio);
        ratios.appendChild(line);
      });
      row.insertCell().textContent = c.note || '';
      Array.prototype.forEach.call(row.cells, function (cell, i) { cell.dataset.label = head.cells[i].textContent; });
    });
    var wrap = el('div', 'scroll');
    wrap.appendChild(table);
    section.appendChild(wrap);
    if (checks.length > RECENT_CHECKS) {
      var more = el('button', 'more', 'Show all ' + checks.length + ' spot checks');
      more.type = 'button';
      more.addEventListener('click', function () { table.classList.add('all'); more.remove(); });
      section.appendChild(more);
    }
    // The checks' own weekly trend of each partner difference (GET .../spot-checks/trends), with its noise band.
    var pairs = (restTrends && restTrends.pairs || []).filter(function (s) { return s.metric === 'rest_difference'; });
    if (!pairs.length) return;
    section.appendChild(el('h3', null, 'Weekly trend of the resting differences'));
    var charts = el('div', 'charts');
    section.appendChild(charts);
    var restWeeks = Array.from(new Set([].concat.apply([], pairs.map(function (s) { return s.weeks.map(function (w) { return w.weekStart; }); })))).sort();
    pairs.forEach(function (s) {
      var parts = s.subject.split('|').map(function (x) { var p = x.split('/'); return { muscle: p[0], side: p[1] }; });
      var relation = parts[0].muscle === parts[1].muscle ? 'left_right'
        : /gastrocnemius/.test(parts[0].muscle) ? 'gastrocnemius_medial_lateral' : parts[0].muscle === 'vastus_lateralis' ? 'vastus_lateralis_medialis' : '';
      var title = ratioName({ a: parts[0], b: parts[1], relation: relation }) + ': resting difference A − B';
      var box = el('div', 'chart');
      box.dataset.kind = 'rest_difference'; box.dataset.title = title; box.dataset.subject = s.subject;
      charts.appendChild(box);
      trendChart(box, restWeeks.length ? restWeeks : weeks, { rest_difference: s }, 'rest_difference', null);
    });
  }

  function inviteButton(section) {
    var button = section.querySelector('button.invite-rider'), out = section.querySelector('.invite-link');
    var input = out.querySelector('input'), copy = out.querySelector('button.copy'), expires = out.querySelector('.expires');
    button.addEventListener('click', async function () {
      button.disabled = true;
      try {
        var r = await fetch('/api/athletes/' + section.dataset.invite + '/invites', {
          method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
        var body = await r.json();
        if (!r.ok) throw new Error(body.detail || r.status);
        input.value = location.origin + body.link;
        expires.textContent = 'good once, until ' + new Date(body.expiresAt).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
        out.hidden = false;
        button.textContent = 'New invite (replaces this link)';
        input.select();
      } catch (e) {
        var p = el('p', 'error', 'No invite: ' + e.message);
        p.setAttribute('role', 'alert');
        section.appendChild(p);
      } finally { button.disabled = false; }
    });
    copy.addEventListener('click', function () {
      input.select();
      if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(function () { copy.textContent = 'Copied'; }, function () { });
    });
  }

  async function athletePage(root) {
    var id = root.dataset.athlete;
    var section = document.querySelector('[data-spot-checks]');
    var results = await Promise.all([getJson('/api/athletes/' + id + '/trends'),
      getJson('/api/athletes/' + id + '/spot-checks').catch(function () { return null; }),
      getJson('/api/athletes/' + id + '/spot-checks/trends').catch(function () { return null; })]);
    var body = results[0], checkList = results[1] || [], restTrends = results[2];
    var t = body.trends || { muscles: [], pairs: [] };
    var all = (t.muscles || []).concat(t.pairs || []);
    var weeks = Array.from(new Set([].concat.apply([], all.map(function (s) { return s.weeks.map(function (w) { return w.weekStart; }); })))).sort();
    var bySubject = {}, flagWeeks = {};
    all.forEach(function (s) {
      (bySubject[s.subject] = bySubject[s.subject] || {})[s.metric] = s;
      s.weeks.forEach(function (w) {
        if (!w.flag) return;
        var list = flagWeeks[s.subject] = flagWeeks[s.subject] || [];
        var at = Date.parse(w.weekStart + 'T00:00:00Z') / 1000;
        if (list.indexOf(at) < 0) list.push(at);
      });
    });
    var placements = Array.from(document.querySelectorAll('ul.placements li[data-subject]')).map(function (li) {
      return { subject: li.dataset.subject, from: Number(li.dataset.from), label: li.dataset.label };
    });
    var checks = checkList.map(function (c) { return { at: Date.parse(c.takenAt) / 1000, entries: c.entries || [] }; });
    root.querySelectorAll('.charts[data-subject]').forEach(function (group) {
      var metrics = bySubject[group.dataset.subject] || {};
      var marks = marksFor(group.dataset.subject, placements, checks, flagWeeks);
      group.querySelectorAll('.chart[data-kind]').forEach(function (box) {
        if (!trendChart(box, weeks, metrics, box.dataset.kind, marks)) { box.classList.add('empty'); box.textContent = box.dataset.title + ': no data yet'; }
      });
    });
    if (section) spotChecks(section, checkList, restTrends, weeks);
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
          return { label: pairName(p.name) + ' (' + p.a.label + ' − ' + p.b.label + ')', stroke: PALETTE[(i + 3) % PALETTE.length], width: 1.4, value: function (u, v) { return (v > 0 ? '+' : '') + fmt(v) + ' %'; } };
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
    var inv = document.querySelector('[data-invite]');
    if (inv) inviteButton(inv);
    var a = document.querySelector('[data-athlete-trends]');
    if (a) run(athletePage, a);
    var r = document.querySelector('[data-ride]');
    if (r) run(ridePage, r);
    var o = document.querySelector('table.overview');
    if (o) overview(o);
  });
})();
