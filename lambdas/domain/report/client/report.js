/*
 * The backup report's page script, inlined by lambdas/report/render.ts after d3 and Observable Plot. It decodes
 * the report data (the columns of lambdas/report/columns.ts), draws the heat map and the charts with Plot, and
 * builds the per-cell tables when they are asked for. Large sections draw as they scroll into view, and all of
 * them before printing. Plain browser JavaScript, no module system, no network.
 */
(() => {
  const DAY_MS = 86_400_000;
  const OUTCOMES = {
    F: { name: 'FINISHED', color: '#3a9e6a', severity: 1 },
    U: { name: 'FINISHED, not verified', color: '#93cdb0', severity: 3 },
    X: { name: 'FAILED', color: '#d1432f', severity: 7 },
    T: { name: 'TIMED_OUT', color: '#f0892a', severity: 6 },
    S: { name: 'SKIPPED', color: '#9db6d8', severity: 3 },
    L: { name: 'lost', color: '#7b4fa6', severity: 5 },
    P: { name: 'paused', color: '#b8bcc4', severity: 2 },
    M: { name: 'missed', color: '#262a33', severity: 4 },
  };
  const CODES = Object.keys(OUTCOMES);
  const COLOR = { type: 'ordinal', domain: CODES, range: CODES.map((code) => OUTCOMES[code].color) };
  const CHUNK_ROWS = 40;
  /** Per-database cards drawn at most (see buildCards). */
  const CARD_LIMIT = 40;
  const WIDTH_FALLBACK = 1140;

  const $ = (id) => document.getElementById(id);
  const element = (tag, attributes = {}, text) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const data = JSON.parse($('report-data').textContent);
  if (data.version !== 1 || typeof Plot === 'undefined') {
    $('heatmap').append(
      element('p', { class: 'empty' }, 'This report could not be drawn (unknown data version).'),
    );
    return;
  }

  // ---------- decoding ----------

  function decodeColumn(column, count) {
    const out = new Float64Array(count).fill(Number.NaN);
    if (count === 0) return out;
    const fields = column.split(',');
    let previous = 0;
    for (let index = 0; index < count; index += 1) {
      const field = fields[index];
      if (field === '' || field === undefined) continue;
      previous += Number.parseInt(field, 36);
      out[index] = previous;
    }
    return out;
  }

  const periodFrom = Date.parse(data.period.from);
  const periodTo = Date.parse(data.period.to);
  const firstDayMs = Date.parse(`${data.period.firstDay}T00:00:00Z`);
  const dayDate = (day) => new Date(firstDayMs + day * DAY_MS);

  const clusters = data.clusters.map((cluster) => {
    const count = cluster.slots === '' ? 0 : cluster.slots.split(',').length;
    const minutes = decodeColumn(cluster.slots, count);
    return {
      ...cluster,
      slotMs: Array.from(minutes, (minute) => minute * 60_000),
      slotDay: Array.from(decodeColumn(cluster.slotDays, count)),
    };
  });

  const databases = data.databases.map((db, index) => {
    const cluster = clusters[db.cluster];
    const k = decodeColumn(db.k, db.n);
    const slotMs = new Float64Array(db.n);
    const day = new Int32Array(db.n);
    for (let i = 0; i < db.n; i += 1) {
      slotMs[i] = cluster.slotMs[k[i]];
      day[i] = cluster.slotDay[k[i]];
    }
    const sparse = (pairs) => new Map(pairs.map(([entry, value]) => [entry, value]));
    return {
      index,
      name: db.name,
      cluster,
      clusterIndex: db.cluster,
      n: db.n,
      o: db.o,
      h: db.h,
      slotMs,
      day,
      start: decodeColumn(db.s, db.n),
      duration: decodeColumn(db.d, db.n),
      size: decodeColumn(db.z, db.n),
      sizeUnit: db.sizeUnit,
      reasons: sparse(db.reasons),
      hints: sparse(db.hints),
      runs: sparse(db.runs),
      labels: sparse(db.labels),
      anomalies: new Map(db.anomalies.map(([entry, kind, usual]) => [entry, { kind, usual }])),
      pinned: new Set(db.pinned),
      freshness: db.freshness,
      cells: null,
    };
  });

  const text = (index) => (index === undefined ? '' : data.strings[index]);
  const scheduleOf = (db, i) => db.cluster.schedules[db.h === '' ? 0 : Number.parseInt(db.h[i], 36)];
  const sizeOf = (db, i) => (Number.isNaN(db.size[i]) ? null : db.size[i] * db.sizeUnit);
  const orNull = (value) => (Number.isNaN(value) ? null : value);

  /** The final entry of each slot decides the slot; the worst slot decides the day. */
  function dayCells(db) {
    if (db.cells) return db.cells;
    const cells = new Map();
    for (let i = 0; i < db.n; i += 1) {
      const next = i + 1 < db.n && db.slotMs[i + 1] === db.slotMs[i] && db.h[i + 1] === db.h[i];
      let cell = cells.get(db.day[i]);
      if (!cell) {
        cell = { db: db.index, day: db.day[i], code: null, entries: [] };
        cells.set(db.day[i], cell);
      }
      cell.entries.push(i);
      if (next) continue;
      const code = db.o[i];
      if (cell.code === null || OUTCOMES[code].severity > OUTCOMES[cell.code].severity) cell.code = code;
    }
    db.cells = [...cells.values()].map((cell) => ({
      ...cell,
      name: db.name,
      x1: dayDate(cell.day),
      x2: dayDate(cell.day + 1),
    }));
    return db.cells;
  }

  // ---------- formatting ----------

  const tz = data.timeZone;
  const timeFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const clockFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const dayFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
  const formatTime = (ms) => timeFormat.format(ms);
  const formatDay = (day) => dayFormat.format(dayDate(day));

  function formatSeconds(seconds) {
    if (seconds === null || Number.isNaN(seconds)) return '–';
    const s = Math.round(seconds);
    if (s < 60) return `${s} s`;
    const minutes = Math.round(s / 60);
    if (minutes < 60) return `${minutes} min`;
    if (minutes < 24 * 60)
      return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
    const hours = Math.round(s / 3600);
    return `${Math.floor(hours / 24)} d ${hours % 24} h`;
  }

  const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  function formatBytes(bytes) {
    if (bytes === null || Number.isNaN(bytes)) return '–';
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
  }

  function unitFor(bytes) {
    let unit = 0;
    let value = bytes;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return { name: UNITS[unit], factor: 1024 ** unit };
  }

  // ---------- labels (rebuilt as lambdas/starrocks/snapshot-label.ts builds them) ----------

  const sanitise = (name) =>
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');

  function truncateParts(schedule, database, budget) {
    if (schedule.length + database.length <= budget) return [schedule, database];
    const scheduleLength = Math.min(schedule.length, Math.floor(budget / 2));
    const databaseLength = Math.min(database.length, budget - scheduleLength);
    return [
      schedule.slice(0, budget - databaseLength).replace(/_+$/, ''),
      database.slice(0, databaseLength).replace(/_+$/, ''),
    ];
  }

  async function sha256Hex(value) {
    if (!globalThis.crypto?.subtle) return null;
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
    return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  }

  /** The snapshot label of an attempt entry (null for a paused or missed slot). */
  async function labelOf(db, i) {
    if (db.o[i] === 'P' || db.o[i] === 'M') return null;
    const exception = db.labels.get(i);
    if (exception !== undefined) return exception;
    const schedule = scheduleOf(db, i).name;
    const iso = new Date(db.slotMs[i]).toISOString();
    const time = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
    const digest = await sha256Hex(JSON.stringify([db.cluster.name, schedule, db.name, iso]));
    const hash = digest === null ? '…' : digest.slice(0, 12);
    let schedulePart = sanitise(schedule) || 'schedule';
    if (!/^[A-Za-z]/.test(schedulePart)) schedulePart = `s${schedulePart}`;
    const databasePart = sanitise(db.name) || 'db';
    const [s, d] = truncateParts(schedulePart, databasePart, 128 - `__${time}_${hash}`.length);
    return `${s}_${d}_${time}_${hash}`;
  }

  // ---------- shared pieces ----------

  function stateBadge(code) {
    const span = element('span', { class: 'state' });
    const swatch = element('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = OUTCOMES[code]?.color ?? '#999';
    span.append(swatch, OUTCOMES[code]?.name ?? code);
    return span;
  }

  function contentWidth(node) {
    return Math.max(320, Math.floor(node.getBoundingClientRect().width) || WIDTH_FALLBACK);
  }

  /** Sections drawn when they come near the viewport, or all at once (printing, tests). */
  const pending = new Map();
  const observer =
    'IntersectionObserver' in window
      ? new IntersectionObserver(
          (seen) => {
            for (const entry of seen) if (entry.isIntersecting) draw(entry.target);
          },
          { rootMargin: '600px 0px' },
        )
      : null;

  function later(node, render) {
    pending.set(node, render);
    if (observer) observer.observe(node);
    else draw(node);
  }

  function draw(node) {
    const render = pending.get(node);
    if (!render) return;
    pending.delete(node);
    observer?.unobserve(node);
    render();
  }

  function drawNearViewport() {
    const limit = window.innerHeight + 600;
    for (const node of [...pending.keys()]) {
      const rect = node.getBoundingClientRect();
      if (rect.top < limit && rect.bottom > -600) draw(node);
    }
  }

  function drawAll() {
    for (const node of [...pending.keys()]) draw(node);
  }

  // ---------- heat map ----------

  const detail = $('cell-detail');

  async function showCell(cell) {
    if (!cell) return;
    const db = databases[cell.db];
    const header = element('div');
    header.append(
      element('strong', {}, db.name),
      ` (${db.cluster.name}) · ${formatDay(cell.day)} · ${cell.entries.length} ${cell.entries.length === 1 ? 'slot' : 'entries'}`,
    );
    const blocks = [];
    for (const i of cell.entries) {
      const block = element('div', { class: 'slot' });
      const line = element('div');
      line.append(
        stateBadge(db.o[i]),
        ` · ${scheduleOf(db, i).name} slot ${clockFormat.format(db.slotMs[i])}`,
      );
      const label = await labelOf(db, i);
      if (label !== null) {
        line.append(' · ', element('code', {}, label));
      }
      if (!Number.isNaN(db.start[i]))
        line.append(` · started ${clockFormat.format(db.slotMs[i] + db.start[i] * 1000)}`);
      if (!Number.isNaN(db.duration[i])) line.append(` · ${formatSeconds(db.duration[i])}`);
      if (sizeOf(db, i) !== null) line.append(` · ${formatBytes(sizeOf(db, i))}`);
      block.append(line);
      const reason = text(db.reasons.get(i));
      if (reason)
        block.append(
          element('div', {}, `${db.o[i] === 'X' || db.o[i] === 'T' ? 'Error' : 'Reason'}: ${reason}`),
        );
      const hint = text(db.hints.get(i));
      if (hint) block.append(element('div', { class: 'hint' }, `Hint: ${hint}`));
      const run = text(db.runs.get(i));
      if (run) block.append(element('div', { class: 'hint' }, `Run: ${run}`));
      blocks.push(block);
    }
    detail.replaceChildren(header, ...blocks);
  }

  /** A time axis over report days: day ticks with short dates when there are few days, Plot's own otherwise. */
  function dayAxis(extra = {}, width = WIDTH_FALLBACK) {
    const days = data.period.days;
    const perDay = (width - 190) / days;
    const few =
      days <= 21
        ? {
            ticks: d3.utcDay.every(days > 10 && perDay < 40 ? 2 : 1),
            tickFormat: perDay >= 48 ? '%-d %b' : '%-d',
          }
        : {};
    return { type: 'utc', domain: [dayDate(0), dayDate(days)], label: null, ...few, ...extra };
  }

  function heatmapChunk(rows, width, showAxis) {
    const rowHeight = rows.length > 1 && databases.length > 120 ? 10 : 14;
    const marginTop = showAxis ? 26 : 4;
    const height = marginTop + rows.length * rowHeight + 4;
    // Cells at most 30 px wide: a week reads as a compact grid, not as stretched bars.
    const fitted = Math.min(width, 170 + 12 + data.period.days * 30);
    return { rowHeight, marginTop, height, width: fitted };
  }

  function renderChunk(node, rows, layout) {
    const cells = rows.flatMap((db) => dayCells(db));
    const names = rows.map((db) => db.name);
    const chart = Plot.plot({
      width: layout.width,
      height: layout.height,
      marginLeft: 170,
      marginRight: 12,
      marginTop: layout.marginTop,
      marginBottom: 4,
      ariaLabel: `Outcomes of ${names.length} databases of cluster ${rows[0].cluster.name} per day`,
      x: dayAxis({ axis: layout.marginTop > 10 ? 'top' : null }, layout.width),
      y: { type: 'band', domain: names, padding: 0, label: null, tickSize: 0 },
      color: COLOR,
      marks: [
        // Days without any slot show the page's "no backup expected" shade.
        Plot.rect(rows, {
          x1: () => dayDate(0),
          x2: () => dayDate(data.period.days),
          y: 'name',
          fill: '#eef1f4',
          insetTop: 0.5,
          insetBottom: 0.5,
        }),
        Plot.rect(cells, {
          x1: 'x1',
          x2: 'x2',
          y: 'name',
          fill: 'code',
          inset: data.period.days > 120 ? 0 : 0.5,
          className: 'sr-heat-cells',
        }),
        Plot.rect(
          cells,
          Plot.pointer({
            x1: 'x1',
            x2: 'x2',
            y: 'name',
            fill: null,
            stroke: '#111',
            strokeWidth: 2,
            maxRadius: 20,
          }),
        ),
      ],
    });
    chart.addEventListener('input', () => {
      if (chart.value) {
        showCell(chart.value);
        selectDatabase(chart.value.db, chart.value.day, false);
      }
    });
    chart.addEventListener('click', () => {
      if (chart.value) selectDatabase(chart.value.db, chart.value.day, true);
    });
    node.replaceChildren(chart);
  }

  function buildHeatmap() {
    const root = $('heatmap');
    const width = contentWidth(root);
    clusters.forEach((cluster, clusterIndex) => {
      const rows = databases.filter((db) => db.clusterIndex === clusterIndex);
      const block = element('div', { class: 'heatmap-cluster' });
      const title = element('h3', {}, cluster.name);
      title.append(
        element(
          'span',
          { class: 'sub' },
          `${rows.length} databases · ${cluster.schedules.map((s) => `${s.name} ${s.cron} ${s.timezone}`).join(', ')}`,
        ),
      );
      block.append(title);
      if (rows.length === 0)
        block.append(element('p', { class: 'empty' }, 'No backup recorded in this period.'));
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        const chunkRows = rows.slice(start, start + CHUNK_ROWS);
        const layout = heatmapChunk(chunkRows, width, true);
        const node = element('div', { class: 'chunk', 'data-rows': String(chunkRows.length) });
        node.style.height = `${layout.height}px`;
        block.append(node);
        later(node, () => {
          node.style.height = '';
          renderChunk(node, chunkRows, layout);
        });
      }
      root.append(block);
    });
  }

  // ---------- the cell table ----------

  const cellSelect = $('cell-database');
  const cellTable = $('cell-table');

  function fillSelect() {
    clusters.forEach((cluster, clusterIndex) => {
      const group = element('optgroup', { label: cluster.name });
      for (const db of databases) {
        if (db.clusterIndex === clusterIndex)
          group.append(element('option', { value: String(db.index) }, db.name));
      }
      cellSelect.append(group);
    });
    cellSelect.addEventListener('change', () => buildCellTable(Number(cellSelect.value), null));
  }

  let tableToken = 0;
  async function buildCellTable(dbIndex, highlightDay) {
    const db = databases[dbIndex];
    if (!db) return;
    const token = ++tableToken;
    const rows = [];
    const labelCells = [];
    for (let i = db.n - 1; i >= 0; i -= 1) {
      const row = element('tr', { 'data-day': String(db.day[i]), 'data-entry': String(i) });
      if (db.day[i] === highlightDay) row.className = 'highlight';
      const outcome = element('td');
      outcome.append(stateBadge(db.o[i]));
      const label = element('td');
      labelCells.push([label, i]);
      const reason = text(db.reasons.get(i));
      const hint = text(db.hints.get(i));
      row.append(
        element('td', { class: 'when' }, formatTime(db.slotMs[i])),
        outcome,
        label,
        element(
          'td',
          { class: 'num' },
          Number.isNaN(db.start[i]) ? '–' : clockFormat.format(db.slotMs[i] + db.start[i] * 1000),
        ),
        element('td', { class: 'num' }, formatSeconds(orNull(db.duration[i]))),
        element('td', { class: 'num' }, formatBytes(sizeOf(db, i))),
        element('td', {}, [reason, hint ? `Hint: ${hint}` : ''].filter(Boolean).join(' — ')),
      );
      rows.push(row);
    }
    cellTable.querySelector('caption').textContent =
      `Every slot of ${db.name} (${db.cluster.name}), newest first`;
    cellTable.tBodies[0].replaceChildren(...rows);
    const labels = await Promise.all(labelCells.map(([, i]) => labelOf(db, i)));
    if (token !== tableToken) return;
    labelCells.forEach(([cell], index) => {
      const label = labels[index];
      cell.replaceChildren(label === null ? '–' : element('code', { class: 'label' }, label));
    });
    cellTable.dataset.ready = String(dbIndex);
  }

  function selectDatabase(dbIndex, day, scroll) {
    if (cellSelect.value !== String(dbIndex)) {
      cellSelect.value = String(dbIndex);
      buildCellTable(dbIndex, day).then(() => scroll && scrollToDay(day));
      return;
    }
    for (const row of cellTable.tBodies[0].rows)
      row.classList.toggle('highlight', row.dataset.day === String(day));
    if (scroll) scrollToDay(day);
  }

  function scrollToDay(day) {
    const row = cellTable.querySelector(`tr[data-day="${day}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }

  // ---------- per database ----------

  function timeAxis(width) {
    return dayAxis(
      data.period.days <= 21
        ? { ticks: d3.utcDay.every(Math.ceil(data.period.days / 4)) }
        : { ticks: width > 300 ? 4 : 3 },
    );
  }

  /** Says so in an empty chart. */
  const nothing = (points, what) =>
    points.length === 0 ? Plot.text([what], { frameAnchor: 'middle', fill: '#8a93a3' }) : null;

  function durationChart(db, width) {
    const points = [];
    for (let i = 0; i < db.n; i += 1) {
      if (Number.isNaN(db.duration[i])) continue;
      points.push({ x: new Date(db.slotMs[i]), minutes: db.duration[i] / 60, code: db.o[i] });
    }
    const finished = points.filter((point) => point.code === 'F' || point.code === 'U' || point.code === 'L');
    // A timed-out job can run ten times as long as a backup: the axis follows the backups, longer attempts sit
    // on its top edge as ▲ (their duration is in the tables).
    const top =
      Math.max(1, ...(finished.length > 0 ? finished : points).map((point) => point.minutes)) * 1.15;
    for (const point of points) {
      point.clamped = point.minutes > top;
      point.y = Math.min(point.minutes, top);
    }
    return Plot.plot({
      width,
      height: 150,
      marginLeft: 44,
      ariaLabel: `Backup durations of ${db.name}`,
      x: timeAxis(width),
      y: { label: 'minutes', grid: true, domain: [0, top] },
      color: COLOR,
      symbol: { domain: [false, true], range: ['circle', 'triangle'] },
      marks: [
        Plot.dot(points, {
          x: 'x',
          y: 'y',
          fill: 'code',
          symbol: 'clamped',
          r: 2.2,
          className: 'sr-duration-dots',
        }),
        finished.length > 1
          ? Plot.linearRegressionY(finished, {
              x: 'x',
              y: 'y',
              stroke: '#334',
              strokeWidth: 1.2,
              ci: 0,
              className: 'sr-trend',
            })
          : null,
        nothing(points, 'no duration recorded'),
      ],
    });
  }

  function sizeChart(db, width) {
    const points = [];
    const marks = [];
    let largest = 0;
    for (let i = 0; i < db.n; i += 1) {
      const size = sizeOf(db, i);
      if (size === null) continue;
      largest = Math.max(largest, size);
      points.push({ x: new Date(db.slotMs[i]), bytes: size, code: db.o[i], i });
    }
    const unit = unitFor(largest);
    for (const point of points) {
      point.y = point.bytes / unit.factor;
      const anomaly = db.anomalies.get(point.i);
      if (anomaly) marks.push({ ...point, kind: anomaly.kind });
    }
    return Plot.plot({
      width,
      height: 150,
      marginLeft: 44,
      ariaLabel: `Snapshot sizes of ${db.name}`,
      x: timeAxis(width),
      y: { label: unit.name, grid: true, zero: false },
      marks: [
        Plot.line(points, { x: 'x', y: 'y', stroke: '#7d8aa0', strokeWidth: 1 }),
        Plot.dot(points, { x: 'x', y: 'y', fill: '#2456a6', r: 1.6, className: 'sr-size-dots' }),
        points.length > 1
          ? Plot.linearRegressionY(points, {
              x: 'x',
              y: 'y',
              stroke: '#334',
              strokeWidth: 1.2,
              ci: 0,
              className: 'sr-trend',
            })
          : null,
        Plot.dot(marks, {
          x: 'x',
          y: 'y',
          symbol: 'triangle',
          r: 5,
          fill: '#d1432f',
          stroke: '#fff',
          className: 'sr-size-anomalies',
        }),
        nothing(points, 'no size recorded'),
      ],
    });
  }

  /** The age of the newest verified snapshot at each instant: a sawtooth, in hours. */
  function recoveryPoints(db) {
    const events = [];
    for (let i = 0; i < db.n; i += 1) {
      if (db.o[i] !== 'F') continue;
      const taken = db.slotMs[i] + (Number.isNaN(db.start[i]) ? 0 : db.start[i] * 1000);
      const available = taken + (Number.isNaN(db.duration[i]) ? 0 : db.duration[i] * 1000);
      events.push([available, taken]);
    }
    events.sort((a, b) => a[0] - b[0]);
    const points = [];
    let taken = db.freshness.seed ? db.freshness.seed[0] * 1000 : null;
    const end = Math.min(periodTo, Date.parse(data.generatedAt));
    if (taken !== null) points.push({ x: new Date(periodFrom), y: (periodFrom - taken) / 3.6e6 });
    for (const [available, newTaken] of events) {
      if (available < periodFrom || available > end) continue;
      if (taken !== null && newTaken <= taken) continue;
      if (taken !== null) points.push({ x: new Date(available), y: (available - taken) / 3.6e6 });
      points.push({ x: new Date(available), y: (available - newTaken) / 3.6e6 });
      taken = newTaken;
    }
    if (taken !== null) points.push({ x: new Date(end), y: (end - taken) / 3.6e6 });
    return points;
  }

  function recoveryChart(db, width) {
    const points = recoveryPoints(db);
    const objective = db.freshness.objectiveSeconds;
    return Plot.plot({
      width,
      height: 150,
      marginLeft: 44,
      ariaLabel: `Recovery point of ${db.name}: age of its newest verified snapshot`,
      x: timeAxis(width),
      y: { label: 'hours', grid: true, zero: true },
      marks: [
        Plot.areaY(points, { x: 'x', y: 'y', fill: '#2456a6', fillOpacity: 0.12 }),
        Plot.line(points, { x: 'x', y: 'y', stroke: '#2456a6', strokeWidth: 1.2, className: 'sr-rpo-line' }),
        objective === null
          ? null
          : Plot.ruleY([objective / 3600], {
              stroke: '#d1432f',
              strokeDasharray: '4,3',
              className: 'sr-objective',
            }),
        nothing(points, 'no verified snapshot'),
      ],
    });
  }

  /** Slots that failed, timed out, were lost or missed: how much trouble a database had. */
  function trouble(db) {
    let count = 0;
    for (let i = 0; i < db.n; i += 1) if ('XTLM'.includes(db.o[i])) count += 1;
    return count;
  }

  function buildCard(root, db) {
    const card = element('article', {
      class: 'card',
      id: `card-${db.index}`,
      'aria-label': `Database ${db.name}`,
    });
    const title = element('h3', {}, db.name);
    let failed = 0;
    for (let i = 0; i < db.n; i += 1) if (db.o[i] === 'X' || db.o[i] === 'T') failed += 1;
    const f = db.freshness;
    title.append(
      element(
        'span',
        { class: 'sub' },
        `${db.cluster.name} · ${db.n} slots · ${failed} failed · worst recovery point ${formatSeconds(f.worstAgeSeconds)}${
          f.objectiveSeconds === null ? '' : ` (objective ${formatSeconds(f.objectiveSeconds)})`
        }${db.anomalies.size > 0 ? ` · ${db.anomalies.size} size ${db.anomalies.size === 1 ? 'anomaly' : 'anomalies'}` : ''}`,
      ),
    );
    const charts = element('div', { class: 'charts' });
    card.append(title, charts);
    root.append(card);
    later(card, () => {
      const width = Math.floor((contentWidth(charts) - 24) / 3);
      const figures = [
        ['Duration', durationChart(db, width)],
        ['Size', sizeChart(db, width)],
        ['Recovery point', recoveryChart(db, width)],
      ].map(([caption, chart]) => {
        const figure = element('figure');
        figure.append(element('figcaption', {}, caption), chart);
        return figure;
      });
      charts.replaceChildren(...figures);
    });
    return card;
  }

  function buildCards() {
    const root = $('cards');
    // Each card is three charts of every slot: hundreds of them would take minutes to draw (and print) and
    // nobody reads them all. Past CARD_LIMIT the cards show the databases with the most trouble (and every size
    // anomaly); any other database's card is drawn on request.
    const shown =
      databases.length <= CARD_LIMIT
        ? databases
        : [...databases]
            .sort(
              (a, b) =>
                trouble(b) + b.anomalies.size * 1000 - (trouble(a) + a.anomalies.size * 1000) ||
                a.index - b.index,
            )
            .slice(0, CARD_LIMIT)
            .sort((a, b) => a.index - b.index);
    for (const db of shown) buildCard(root, db);
    if (shown.length === databases.length) return;
    const picker = element('select', {
      id: 'card-database',
      'aria-label': 'Show the card of another database',
    });
    picker.append(element('option', { value: '' }, 'another database…'));
    const onShow = new Set(shown.map((db) => db.index));
    for (const db of databases) {
      if (!onShow.has(db.index))
        picker.append(element('option', { value: String(db.index) }, `${db.name} (${db.cluster.name})`));
    }
    picker.addEventListener('change', () => {
      const db = databases[Number(picker.value)];
      if (!db || document.getElementById(`card-${db.index}`)) return;
      draw(buildCard(root, db));
      picker.selectedOptions[0]?.remove();
      picker.value = '';
    });
    const note = element(
      'p',
      { class: 'lede' },
      `Cards of the ${shown.length} databases with the most trouble, of ${databases.length}. Show the card of `,
    );
    note.append(picker);
    root.before(note);
  }

  // ---------- backup window ----------

  function buildWindowOverview() {
    const root = $('window-overview');
    const width = contentWidth(root);
    const half = Math.floor((width - 18) / 2);
    for (const cluster of clusters) {
      const nights = cluster.windows.map(([slot, first, last, peak, jobs]) => ({
        day: cluster.slotDay[slot],
        x1: dayDate(cluster.slotDay[slot]),
        x2: dayDate(cluster.slotDay[slot] + 1),
        x: new Date(dayDate(cluster.slotDay[slot]).getTime() + DAY_MS / 2),
        first: first / 3600,
        last: last / 3600,
        peak,
        jobs,
        full: peak >= cluster.maxConcurrentBackups,
      }));
      const block = element('div', { class: 'grid-2' });
      const left = element('figure');
      left.append(
        element('figcaption', {}, `${cluster.name}: first start to last end, hours after the slot`),
      );
      left.append(
        Plot.plot({
          width: half,
          height: 190,
          marginLeft: 40,
          ariaLabel: `Backup window per night of cluster ${cluster.name}`,
          x: dayAxis(),
          y: { label: 'hours', grid: true, zero: true },
          marks: [
            Plot.rect(nights, {
              x1: 'x1',
              x2: 'x2',
              y1: 'first',
              y2: 'last',
              fill: (d) => (d.full ? '#2456a6' : '#8fb0e0'),
              inset: data.period.days > 120 ? 0 : 1,
              className: 'sr-window-bars',
            }),
            Plot.tip(
              nights,
              Plot.pointerX({
                x: 'x',
                y: 'last',
                title: (d) =>
                  `${formatDay(d.day)}\n${d.jobs} jobs, ${formatSeconds(d.first * 3600)} – ${formatSeconds(d.last * 3600)} after the slot\nat most ${d.peak} at once`,
              }),
            ),
          ],
        }),
      );
      const right = element('figure');
      right.append(
        element(
          'figcaption',
          {},
          `${cluster.name}: most jobs at once vs maxConcurrentBackups (${cluster.maxConcurrentBackups})`,
        ),
      );
      right.append(
        Plot.plot({
          width: half,
          height: 190,
          marginLeft: 40,
          ariaLabel: `Most concurrent backups per night of cluster ${cluster.name}`,
          x: dayAxis(),
          y: {
            label: 'jobs at once',
            grid: true,
            zero: true,
            domain: [0, Math.max(cluster.maxConcurrentBackups, ...nights.map((n) => n.peak)) + 1],
          },
          marks: [
            Plot.ruleY([cluster.maxConcurrentBackups], {
              stroke: '#d1432f',
              strokeDasharray: '4,3',
              className: 'sr-cap',
            }),
            Plot.line(nights, { x: 'x', y: 'peak', stroke: '#2456a6', curve: 'step' }),
            Plot.dot(nights, { x: 'x', y: 'peak', fill: '#2456a6', r: 2, className: 'sr-peak-dots' }),
          ],
        }),
      );
      block.append(left, right);
      root.append(block);
    }
  }

  function nightsWithJobs() {
    const nights = new Map();
    for (const cluster of clusters) {
      for (const [slot, first, last] of cluster.windows) {
        const day = cluster.slotDay[slot];
        nights.set(day, Math.max(nights.get(day) ?? 0, last - first));
      }
    }
    return [...nights.entries()].sort((a, b) => b[0] - a[0]);
  }

  /** The jobs of one night per cluster, each in the first lane free at its start. */
  function jobsOfNight(day) {
    const byCluster = new Map();
    for (const db of databases) {
      for (let i = 0; i < db.n; i += 1) {
        if (db.day[i] !== day || Number.isNaN(db.start[i]) || Number.isNaN(db.duration[i])) continue;
        const start = db.slotMs[i] + db.start[i] * 1000;
        const list = byCluster.get(db.clusterIndex) ?? [];
        list.push({ db, i, start, end: start + db.duration[i] * 1000, code: db.o[i] });
        byCluster.set(db.clusterIndex, list);
      }
    }
    for (const jobs of byCluster.values()) {
      jobs.sort((a, b) => a.start - b.start || b.end - a.end);
      const laneEnds = [];
      for (const job of jobs) {
        let lane = laneEnds.findIndex((end) => end <= job.start);
        if (lane === -1) lane = laneEnds.length;
        laneEnds[lane] = job.end;
        job.lane = lane + 1;
        job.x1 = new Date(job.start);
        job.x2 = new Date(Math.max(job.end, job.start + 30_000));
        job.name = job.db.name;
      }
    }
    return byCluster;
  }

  function renderNight(day) {
    const root = $('window-night');
    const width = contentWidth(root);
    const byCluster = jobsOfNight(day);
    const figures = [];
    for (const [clusterIndex, jobs] of [...byCluster.entries()].sort((a, b) => a[0] - b[0])) {
      const cluster = clusters[clusterIndex];
      const lanes = Math.max(cluster.maxConcurrentBackups, ...jobs.map((job) => job.lane));
      const figure = element('figure');
      figure.append(
        element(
          'figcaption',
          {},
          `${cluster.name}, night of ${formatDay(day)}: ${jobs.length} jobs in ${Math.max(...jobs.map((j) => j.lane))} lanes (maxConcurrentBackups ${cluster.maxConcurrentBackups}); times in UTC`,
        ),
      );
      figure.append(
        Plot.plot({
          width,
          height: 40 + lanes * 22,
          marginLeft: 60,
          ariaLabel: `Jobs of cluster ${cluster.name} on ${formatDay(day)}`,
          x: { type: 'utc', label: null, grid: true, tickFormat: '%H:%M' },
          y: {
            type: 'band',
            domain: Array.from({ length: lanes }, (_, lane) => lane + 1),
            label: 'lane',
            padding: 0.15,
          },
          color: COLOR,
          marks: [
            Plot.barX(jobs, {
              x1: 'x1',
              x2: 'x2',
              y: 'lane',
              fill: 'code',
              stroke: '#fff',
              strokeWidth: 0.5,
              className: 'sr-night-jobs',
              channels: { database: 'name' },
              tip: { format: { x1: true, x2: true, y: false, fill: false, database: true } },
            }),
            Plot.text(
              jobs.filter(
                (job) =>
                  job.x2 - job.x1 >
                  0.06 * (Math.max(...jobs.map((j) => j.x2)) - Math.min(...jobs.map((j) => j.x1))),
              ),
              {
                x: (job) => new Date((job.x1.getTime() + job.x2.getTime()) / 2),
                y: 'lane',
                text: 'name',
                fill: '#fff',
                fontSize: 9,
              },
            ),
          ],
        }),
      );
      figures.push(figure);
    }
    if (figures.length === 0) figures.push(element('p', { class: 'empty' }, 'No job ran that night.'));
    root.replaceChildren(...figures);
  }

  function buildNightPicker() {
    const select = $('night');
    const nights = nightsWithJobs();
    if (nights.length === 0) {
      $('window-night').append(element('p', { class: 'empty' }, 'No backup job ran in this period.'));
      return;
    }
    const longest = nights.reduce((best, night) => (night[1] > best[1] ? night : best), nights[0]);
    for (const [day, span] of nights) {
      select.append(
        element(
          'option',
          { value: String(day) },
          `${formatDay(day)} (${formatSeconds(span)} window${day === longest[0] ? ', the longest' : ''})`,
        ),
      );
    }
    select.value = String(longest[0]);
    select.addEventListener('change', () => renderNight(Number(select.value)));
    renderNight(longest[0]);
  }

  // ---------- freshness and drills ----------

  function buildFreshnessChart() {
    const counts = new Array(data.period.days).fill(0);
    for (const db of data.databases) {
      const count = db.freshness.overDays === '' ? 0 : db.freshness.overDays.split(',').length;
      for (const day of decodeColumn(db.freshness.overDays, count))
        if (day >= 0 && day < counts.length) counts[day] += 1;
    }
    const days = counts.map((count, day) => ({ x: dayDate(day), count }));
    const root = $('freshness-chart');
    root.append(
      Plot.plot({
        width: contentWidth(root),
        height: 170,
        marginLeft: 40,
        ariaLabel: 'Databases over their recovery objective per day',
        x: dayAxis(),
        y: { label: 'databases over objective', grid: true, zero: true, domain: [0, Math.max(1, ...counts)] },
        marks: [
          Plot.rectY(days, {
            x: 'x',
            interval: 'day',
            y: 'count',
            fill: '#d1432f',
            inset: 1,
            className: 'sr-freshness-bars',
          }),
          Plot.ruleY([0]),
        ],
      }),
    );
  }

  function buildDrillsChart() {
    const root = $('drills-chart');
    if (data.drills.length === 0) return;
    const drills = data.drills.map((drill) => ({
      x: new Date(drill.startedAt * 1000),
      y: (drill.durationSeconds ?? 0) / 60,
      code: { FINISHED: 'F', FAILED: 'X', TIMED_OUT: 'T', SKIPPED: 'S' }[drill.state],
      database: `${clusters[drill.cluster].name} / ${drill.database}`,
      state: drill.state,
    }));
    const promises = new Map();
    for (const drill of drills) {
      if (drill.code !== 'F') continue;
      promises.set(drill.database, Math.max(promises.get(drill.database) ?? 0, drill.y));
    }
    const rules = [...promises.entries()].map(([database, y]) => ({ database, y }));
    root.append(
      Plot.plot({
        width: contentWidth(root),
        height: 220,
        marginLeft: 44,
        marginRight: 200,
        ariaLabel: 'Measured restore times of the drills',
        x: { type: 'utc', domain: [new Date(periodFrom), new Date(periodTo)], label: null },
        y: { label: 'restore minutes', grid: true, zero: true },
        color: COLOR,
        symbol: { legend: true },
        marks: [
          Plot.ruleY(rules, { y: 'y', stroke: '#8a93a3', strokeDasharray: '3,3' }),
          Plot.text(rules, {
            y: 'y',
            frameAnchor: 'right',
            dx: 196,
            textAnchor: 'end',
            text: (d) => `${d.database}: ≤ ${formatSeconds(d.y * 60)}`,
            fill: '#5b6474',
          }),
          Plot.dot(drills, {
            x: 'x',
            y: 'y',
            fill: 'code',
            symbol: 'database',
            r: 4.5,
            stroke: '#fff',
            className: 'sr-drill-dots',
            channels: { database: 'database', result: 'state' },
            tip: { format: { fill: false, symbol: false, database: true, result: true } },
          }),
        ],
      }),
    );
  }

  // ---------- failures on demand ----------

  function bindAllFailures() {
    const button = $('all-failures');
    if (!button) return;
    button.addEventListener('click', async () => {
      const failures = [];
      for (const db of databases) {
        for (let i = 0; i < db.n; i += 1) if (db.o[i] === 'X' || db.o[i] === 'T') failures.push([db, i]);
      }
      failures.sort((a, b) => b[0].slotMs[b[1]] - a[0].slotMs[a[1]] || a[0].index - b[0].index);
      const labels = await Promise.all(failures.map(([db, i]) => labelOf(db, i)));
      const rows = failures.map(([db, i], index) => {
        const row = element('tr');
        const state = element('td');
        state.append(stateBadge(db.o[i]));
        const run = element('td');
        const runId = text(db.runs.get(i));
        run.append(
          element('code', { class: 'label', title: runId }, runId.slice(runId.lastIndexOf(':') + 1)),
        );
        const label = element('td');
        label.append(element('code', { class: 'label' }, labels[index] ?? ''));
        row.append(
          element('td', { class: 'when' }, formatTime(db.slotMs[i])),
          element('td', {}, `${db.cluster.name} / ${db.name}`),
          state,
          element('td', {}, text(db.reasons.get(i))),
          element('td', {}, text(db.hints.get(i))),
          run,
          label,
        );
        return row;
      });
      const table = $('failures-table').querySelector('table');
      table.tBodies[0].replaceChildren(...rows);
      table.caption.textContent = `${failures.length} failed or timed-out attempts, newest first`;
      button.remove();
    });
  }

  // ---------- start ----------

  const started = performance.now();
  buildHeatmap();
  fillSelect();
  buildCards();
  buildWindowOverview();
  buildNightPicker();
  buildFreshnessChart();
  buildDrillsChart();
  bindAllFailures();
  drawNearViewport();
  // The table starts with the database that had the most trouble: the one a reader wants to see first.
  const first = databases.reduce(
    (best, db) => (best === null || trouble(db) > trouble(best) ? db : best),
    null,
  );
  if (first) {
    cellSelect.value = String(first.index);
    buildCellTable(first.index, null);
  }
  window.addEventListener('beforeprint', drawAll);
  window.matchMedia?.('print').addEventListener?.('change', (event) => event.matches && drawAll());
  window.srReport = {
    drawAll,
    drawnIn: performance.now() - started,
    readyAt: performance.now(),
    pending: () => pending.size,
  };
  document.documentElement.dataset.ready = 'true';
})();
