// The console's pages. Each is `async (view, signal, args)`: it fills `view` and stops its streams and timers when
// `signal` aborts (the user went to another page).
import { api, el, isAdmin, money, say, stream, table } from './app.js';

const ROW_HEIGHT = 29;
const STATUS_ORDER = { out_of_stock: 0, low_stock: 1, in_stock: 2 };

/** Stock: SKUs x channels, live from one multiplexed stream of every channel, rendering only the visible rows. */
async function stock(view, signal) {
  const channels = (await api('GET', '/v1/channels', undefined, signal)).items.map((c) => c.id);
  const cells = new Map();
  let order = [];
  let dirtyOrder = true;
  const text = el('input', { type: 'search', name: 'filter', placeholder: 'Filter SKUs', 'aria-label': 'Filter SKUs' });
  const status = el('select', { name: 'status', 'aria-label': 'Status' },
    el('option', { value: '', text: 'Any status' }), el('option', { value: 'out_of_stock', text: 'Out of stock' }),
    el('option', { value: 'low_stock', text: 'Low stock' }), el('option', { value: 'in_stock', text: 'In stock' }));
  const lowFirst = el('input', { type: 'checkbox', name: 'low_first' });
  const counter = el('span', { class: 'muted', id: 'grid-count' });
  const live = el('span', { class: 'muted', id: 'stream-state', text: 'connecting' });
  const columns = '220px repeat(' + channels.length + ', minmax(90px, 1fr))';
  const head = el('div', { class: 'grid-head' }, el('div', { text: 'SKU' }),
    ...channels.map((c) => el('div', { class: 'cell', text: c })));
  head.style.gridTemplateColumns = columns;
  const spacer = el('div', { class: 'grid-spacer' });
  const scroller = el('div', { class: 'grid-scroll', id: 'grid' }, spacer);
  view.append(el('h1', { text: 'Stock' }),
    el('div', { class: 'toolbar' }, text, status, el('label', null, lowFirst, 'Low and out of stock first'),
      counter, live),
    head, scroller);

  const rows = new Map();
  function worst(sku) {
    let rank = 3;
    for (const cell of cells.get(sku).values()) rank = Math.min(rank, STATUS_ORDER[cell.status]);
    return rank;
  }
  function recompute() {
    const needle = text.value.trim().toLowerCase();
    const wanted = status.value;
    order = [...cells.keys()].filter((sku) => (!needle || sku.toLowerCase().includes(needle)) &&
      (!wanted || [...cells.get(sku).values()].some((cell) => cell.status === wanted)));
    order.sort(lowFirst.checked ? (a, b) => worst(a) - worst(b) || (a < b ? -1 : 1) : (a, b) => (a < b ? -1 : 1));
    counter.textContent = order.length + ' of ' + cells.size + ' SKUs';
    spacer.style.height = order.length * ROW_HEIGHT + 'px';
    dirtyOrder = false;
  }
  function fillCell(node, cell) {
    node.textContent = cell ? String(cell.available) : '';
    node.className = 'cell' + (cell ? ' ' + cell.status : '');
  }
  function render() {
    if (dirtyOrder) recompute();
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - 5);
    const last = Math.min(order.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW_HEIGHT) + 5);
    const keep = new Set(order.slice(first, last));
    for (const [sku, row] of rows) {
      if (!keep.has(sku)) {
        row.remove();
        rows.delete(sku);
      }
    }
    for (let i = first; i < last; i++) {
      const sku = order[i];
      let row = rows.get(sku);
      if (!row) {
        row = el('div', { class: 'grid-row', 'data-row': sku },
          el('a', { class: 'sku', href: '#/sku/' + encodeURIComponent(sku), text: sku }),
          ...channels.map((channel) => el('div', { 'data-sku': sku, 'data-channel': channel })));
        row.style.gridTemplateColumns = columns;
        channels.forEach((channel, c) => fillCell(row.children[c + 1], cells.get(sku).get(channel)));
        spacer.append(row);
        rows.set(sku, row);
      }
      row.style.top = i * ROW_HEIGHT + 'px';
    }
  }
  let frame = 0;
  function schedule(reorder) {
    dirtyOrder = dirtyOrder || reorder;
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(); });
  }
  function update(u) {
    let row = cells.get(u.sku);
    const known = !!row;
    if (!row) {
      row = new Map();
      cells.set(u.sku, row);
    }
    const previous = row.get(u.channel);
    if (previous && previous.version > u.version) return;
    row.set(u.channel, { available: u.available, status: u.status, version: u.version });
    const shown = rows.get(u.sku);
    if (shown) fillCell(shown.children[channels.indexOf(u.channel) + 1], row.get(u.channel));
    const statusChanged = !previous || previous.status !== u.status;
    if (!known || (statusChanged && (lowFirst.checked || status.value))) schedule(true);
  }
  text.addEventListener('input', () => schedule(true));
  status.addEventListener('change', () => schedule(true));
  lowFirst.addEventListener('change', () => schedule(true));
  scroller.addEventListener('scroll', () => schedule(false));
  window.addEventListener('resize', () => schedule(false), { signal });
  signal.addEventListener('abort', () => cancelAnimationFrame(frame));
  // Every SKU's latest value arrives first (the stream's catch-up from version 0, conflated per SKU), then each
  // change as it happens; a reconnection starts from version 0 again, so the grid always ends up exact.
  stream(() => '/v1/updates?since=0', (type, data) => { if (type === 'stock') update(data); }, signal,
    (s) => { live.textContent = s; });
  schedule(true);
}

/** SKU: quantities per location, per channel value with the sync ledger, prices, a delivery promise, audit entries. */
async function sku(view, signal, args) {
  const id = args[0];
  const [skuData, prices] = await Promise.all([api('GET', '/v1/skus/' + encodeURIComponent(id), undefined, signal),
    api('GET', '/v1/skus/' + encodeURIComponent(id) + '/prices', undefined, signal).catch(() => null)]);
  view.append(el('p', null, el('a', { href: '#/stock', text: '< Stock' })),
    el('h1', { id: 'sku-title', text: skuData.title }),
    el('p', { class: 'muted' }, 'SKU ', el('code', { id: 'sku-id', text: skuData.sku }), ' - base price ',
      money(skuData.price), skuData.bundle ? ' - bundle of ' +
        skuData.components.map((c) => c.qty + ' x ' + c.sku).join(', ') : '', ' - version ' + skuData.version));
  if (!skuData.bundle) {
    view.append(el('h2', { text: 'Per location' }), table(['Location', 'On hand', 'Reserved', 'Committed', 'Safety',
      'Available'], skuData.locations.map((l) => [l.location, l.on_hand, l.reserved, l.committed, l.safety,
      l.available]), [false, true, true, true, true, true]));
  }
  const now = Date.now();
  const activeSale = (channel) => (prices && prices.sales || []).filter((s) => Date.parse(s.start) <= now &&
    now < Date.parse(s.end) && (!s.channels || s.channels.length === 0 || s.channels.includes(channel)))
    .sort((a, b) => a.amount - b.amount)[0];
  view.append(el('h2', { text: 'Per channel' }), table(['Channel', 'Available', 'Status', 'Effective price',
    'Active sale', 'Acked value', 'Acked version', 'Lag', 'Dead letter', 'Last error'],
  skuData.channels.map((c) => {
    const sale = activeSale(c.channel);
    const sync = c.sync;
    return [c.channel, c.available, el('span', { class: c.status, text: c.status }), money(c.price),
      sale ? money(sale) + ' until ' + sale.end : '', sync ? sync.acked_available : 'no connector',
      sync ? sync.acked_version : '', sync ? sync.lag_ms + ' ms' : '', sync ? (sync.dead_letter ? 'yes' : 'no') : '',
      sync && sync.last_error ? sync.last_error : ''];
  }), [false, true]));

  if (isAdmin() && !skuData.bundle) {
    const location = el('select', { name: 'location' },
      ...skuData.locations.map((l) => el('option', { value: l.location, text: l.location })));
    const delta = el('input', { type: 'number', name: 'delta', value: '1', step: '1' });
    const result = el('span', { class: 'muted' });
    view.append(el('h2', { text: 'Adjust stock' }), el('form', { class: 'toolbar', 'data-mutating': true,
      onsubmit: (event) => {
        event.preventDefault();
        api('POST', '/v1/stock/adjust', { sku: id, location: location.value, delta: Number(delta.value),
          reason: 'console' }).then((r) => say(result, 'on hand ' + r.on_hand + ', available ' + r.available))
          .catch((error) => say(result, error.message, true));
      } }, location, delta, el('button', { type: 'submit', text: 'Adjust' }), result));
  }

  const channel = el('select', { name: 'channel' },
    ...skuData.channels.map((c) => el('option', { value: c.channel, text: c.channel })));
  const qty = el('input', { type: 'number', name: 'qty', value: '1', min: '1' });
  const country = el('input', { name: 'country', value: 'US', size: '3', maxlength: '2' });
  const postal = el('input', { name: 'postal_code', value: '94103', size: '8' });
  const promise = el('div', { id: 'promise' });
  view.append(el('h2', { text: 'Delivery promise' }), el('form', { class: 'toolbar', onsubmit: (event) => {
    event.preventDefault();
    const query = new URLSearchParams({ channel: channel.value, qty: qty.value, country: country.value,
      postal_code: postal.value });
    api('GET', '/v1/offers/' + encodeURIComponent(id) + '?' + query, undefined, signal).then((offer) => {
      const d = offer.delivery;
      promise.replaceChildren(d ? table(['Available', 'Price', 'Earliest', 'Latest', 'Order by', 'From', 'Carrier'],
        [[offer.available, money(offer.price), d.earliest, d.latest, d.order_by, d.location, d.carrier + ' ' +
          d.service]]) : el('p', { text: 'Nothing can ship there (' + offer.status + ', ' + offer.available +
          ' available).' }));
    }).catch((error) => promise.replaceChildren(el('p', { class: 'error', text: error.message })));
  } }, channel, el('label', null, 'qty', qty), el('label', null, 'country', country),
  el('label', null, 'postal code', postal), el('button', { type: 'submit', text: 'Promise' })), promise);

  const audit = el('div', { id: 'sku-audit' });
  view.append(el('h2', { text: 'Audit trail' }), audit);
  await auditPage(audit, { sku: id }, signal);
}

/** One page of audit entries with a link to the next; `query` holds sku, from, to. */
async function auditPage(into, query, signal, after) {
  const params = new URLSearchParams({ limit: '20' });
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  if (after) params.set('after', after);
  let page;
  try {
    page = await api('GET', '/v1/audit?' + params, undefined, signal);
  } catch (error) {
    into.replaceChildren(el('p', { class: error.status === 403 ? 'muted' : 'error',
      text: error.status === 403 ? 'The audit trail needs an admin key.' : error.message }));
    return;
  }
  const rows = page.entries.map((e) => [e.seq, e.at, e.type, e.sku || '', e.location || '',
    e.before ? JSON.stringify(e.before) : '', e.after ? JSON.stringify(e.after) : '', e.principal || '',
    e.reason || '', e.reference || '']);
  into.replaceChildren(table(['Seq', 'At', 'Type', 'SKU', 'Location', 'Before', 'After', 'Principal', 'Reason',
    'Reference'], rows, [true]), page.entries.length === 0 ? el('p', { class: 'muted', text: 'No entries.' }) : null,
  page.next !== null && page.next !== undefined ? el('button', { type: 'button', class: 'secondary', text: 'Next page',
    onclick: () => auditPage(into, query, signal, page.next) }) : null);
}

/** Channels: each channel's connector state (pending, lag, drift, dead letters, last error) and a reconcile button. */
async function channelsPage(view, signal) {
  const list = el('div', { id: 'channels' });
  const result = el('p', { class: 'muted', id: 'reconcile-result' });
  view.append(el('h1', { text: 'Channels' }), list, result);
  async function refresh() {
    const channels = (await api('GET', '/v1/channels', undefined, signal)).items;
    const syncs = await Promise.all(channels.map((c) =>
      api('GET', '/v1/channels/' + encodeURIComponent(c.id) + '/sync', undefined, signal)
        .catch((error) => ({ missing: error.status === 404 ? 'no connector' : error.status === 403 ?
          'admin key needed' : error.message }))));
    list.replaceChildren(table(['Channel', 'Name', 'Locations', 'Percent', 'Buffer', 'Connector', 'Pending',
      'In flight', 'Lag', 'Drift', 'Dead letters', 'Last error', ''], channels.map((c, i) => {
      const s = syncs[i];
      const reconcile = isAdmin() && !s.missing ? el('button', { type: 'button', 'data-mutating': true,
        'data-reconcile': c.id, text: 'Reconcile', onclick: () => {
          api('POST', '/v1/channels/' + encodeURIComponent(c.id) + '/reconcile', {}).then((r) => {
            say(result, 'Reconcile ' + r.channel + ': ' + r.queued + ' SKUs queued at version ' + r.version);
            refresh();
          }).catch((error) => say(result, error.message, true));
        } }) : null;
      return [c.id, c.name, c.locations.join(', '), c.percent, c.buffer, s.missing || s.connector,
        s.missing ? '' : s.pending, s.missing ? '' : s.in_flight, s.missing ? '' : s.lag_ms + ' ms',
        s.missing ? '' : s.drift, s.missing ? '' : s.dead + ' (' + s.dead_letters_total + ' total)',
        s.missing ? '' : s.last_error || '', reconcile];
    }), [false, false, false, true, true, false, true, true, true, true, true]));
  }
  await refresh();
  // The connector counters change without engine events; a refresh every few seconds while the page is open.
  const timer = setInterval(() => refresh().catch(() => {}), 3000);
  signal.addEventListener('abort', () => clearInterval(timer));
}

const SERIES_COLOURS = ['#1f5fbf', '#b3261e', '#1e7b34'];

/** A small line chart of the last samples: one canvas, up to three series. */
function chart(title, series, unit) {
  const canvas = el('canvas', { width: '720', height: '240' });
  const now = el('div', { class: 'now' });
  const node = el('div', { class: 'chart' }, el('div', { text: title }), now,
    el('div', { class: 'legend' }, ...series.map((s, i) => el('span', { class: 's' + i, text: s.label }))), canvas);
  return {
    node,
    draw(samples) {
      const g = canvas.getContext('2d');
      g.clearRect(0, 0, canvas.width, canvas.height);
      let max = 1;
      for (const s of series) for (const sample of samples) max = Math.max(max, s.value(sample));
      g.strokeStyle = '#e3e6ea';
      g.fillStyle = '#5f6b7a';
      g.font = '20px system-ui';
      g.beginPath();
      g.moveTo(0, canvas.height - 1);
      g.lineTo(canvas.width, canvas.height - 1);
      g.stroke();
      g.fillText(String(max) + ' ' + unit, 6, 22);
      series.forEach((s, k) => {
        g.strokeStyle = SERIES_COLOURS[k];
        g.lineWidth = 3;
        g.beginPath();
        samples.forEach((sample, i) => {
          const x = samples.length < 2 ? 0 : i * canvas.width / (samples.length - 1);
          const y = canvas.height - 4 - s.value(sample) / max * (canvas.height - 34);
          if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
        });
        g.stroke();
      });
      const latest = samples[samples.length - 1];
      now.textContent = latest ? series.map((s) => s.label + ' ' + s.value(latest)).join('   ') + ' ' + unit : '';
    }
  };
}

/** Live: the server's activity, one sample a second from /v1/metrics/stream, over the last five minutes. */
async function livePage(view, signal) {
  const charts = [
    chart('Reservations and orders per second', [{ label: 'reservations', value: (s) => s.reservations_per_second },
      { label: 'orders', value: (s) => s.orders_per_second }], '/s'),
    chart('Commands per second', [{ label: 'commands', value: (s) => s.commands_per_second }], '/s'),
    chart('Oversold (channel order lines not covered)', [{ label: 'oversold', value: (s) => s.oversold_events }], ''),
    chart('Ring occupancy', [{ label: 'occupied', value: (s) => s.ring_occupancy }], 'slots'),
    chart('Request latency', [{ label: 'p50', value: (s) => s.latency_us.p50 },
      { label: 'p99', value: (s) => s.latency_us.p99 }, { label: 'p99.9', value: (s) => s.latency_us.p999 }], 'us')];
  const state = el('span', { class: 'muted', id: 'live-state', text: 'connecting' });
  view.append(el('h1', { text: 'Live' }), el('p', null, state), el('div', { class: 'charts', id: 'charts' },
    ...charts.map((c) => c.node)));
  const samples = [];
  let frame = 0;
  stream(() => '/v1/metrics/stream', (type, sample) => {
    if (type !== 'sample') return;
    samples.push(sample);
    if (samples.length > 300) samples.shift();
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; charts.forEach((c) => c.draw(samples)); });
  }, signal, (s) => {
    state.textContent = s;
    if (s !== 'live') samples.length = 0;
  });
}

/** Audit: entries by SKU and ingest time, and the verification of the hash chain. */
async function auditTrail(view) {
  const skuInput = el('input', { name: 'sku', placeholder: 'SKU (any when empty)' });
  const from = el('input', { type: 'datetime-local', name: 'from', step: '1' });
  const to = el('input', { type: 'datetime-local', name: 'to', step: '1' });
  const entries = el('div', { id: 'audit-entries' });
  const verdict = el('div', { id: 'verify-result' });
  const instant = (input) => (input.value ? new Date(input.value).toISOString() : '');
  view.append(el('h1', { text: 'Audit' }),
    el('form', { class: 'toolbar', onsubmit: (event) => {
      event.preventDefault();
      auditPage(entries, { sku: skuInput.value.trim(), from: instant(from), to: instant(to) });
    } }, skuInput, el('label', null, 'from', from), el('label', null, 'to', to),
    el('button', { type: 'submit', text: 'Search' }),
    el('button', { type: 'button', class: 'secondary', id: 'verify', text: 'Verify the chain', onclick: () => {
      say(verdict, 'Verifying...');
      api('GET', '/v1/audit/verify').then((v) => verdict.replaceChildren(
        el('p', { class: v.ok ? 'ok' : 'bad', text: v.ok ? 'Chain intact' : 'Chain broken' }),
        el('p', null, v.records + ' records; head ', el('span', { class: 'hash', id: 'head-hash', text: v.head }))))
        .catch((error) => say(verdict, error.message, true));
    } })), verdict, entries);
  await auditPage(entries, {});
}

export const pages = { stock, sku, channels: channelsPage, live: livePage, audit: auditTrail };
