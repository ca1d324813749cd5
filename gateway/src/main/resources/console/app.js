// The console's shell: the key, the API and stream helpers, the router. Every value from the server is put into
// the page as text (textContent, never innerHTML), and the page runs under a policy that allows no inline script.
import { pages } from './pages.js';

const KEY = 'truestock.key';
const state = { key: null, admin: false, page: null };

/** The API key of this tab, or null. */
export function key() {
  return state.key;
}

/** Whether the key may change things (admin scope); mutating controls are only built when it may. */
export function isAdmin() {
  return state.admin;
}

/** An element with text content and attributes; children appended in order. Never parses markup. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A table from column names and rows of cells (text, numbers or nodes). */
export function table(columns, rows, numeric) {
  const head = el('tr', null,
    ...columns.map((c, i) => el('th', { class: numeric && numeric[i] ? 'num' : null, text: c })));
  const body = rows.map((row) => el('tr', null, ...row.map((cell, i) =>
    el('td', { class: numeric && numeric[i] ? 'num' : null }, cell === null || cell === undefined ? '' : cell))));
  return el('table', null, el('thead', null, head), el('tbody', null, ...body));
}

/** An API call with the tab's key: the parsed JSON, or an Error carrying the problem's status and detail. */
export async function api(method, path, body, signal) {
  const headers = { Authorization: 'Bearer ' + state.key, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    signal, cache: 'no-store' });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401 && state.key) signOut('The key was refused; sign in again.');
  if (!response.ok) {
    const error = new Error(json && json.detail ? json.detail : response.status + ' ' + response.statusText);
    error.status = response.status;
    throw error;
  }
  return json;
}

/**
 * Reads a Server-Sent Events stream with the key in the Authorization header (EventSource cannot send one, and a
 * key in the URL would end up in logs): fetch's streaming body, parsed into events. Reconnects with a growing pause
 * until the signal aborts; `path()` is asked again on each connection, so a caller can resume where it was.
 */
export async function stream(path, onEvent, signal, onState) {
  let pause = 500;
  while (!signal.aborted) {
    try {
      const response = await fetch(path(), { headers: { Authorization: 'Bearer ' + state.key,
        Accept: 'text/event-stream' }, signal, cache: 'no-store' });
      if (response.status === 401) {
        signOut('The key was refused; sign in again.');
        return;
      }
      if (!response.ok) throw new Error('stream answered ' + response.status);
      if (onState) onState('live');
      pause = 500;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end), onEvent);
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if (signal.aborted) return;
    }
    if (onState) onState('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 10000);
  }
}

function dispatch(block, onEvent) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length > 0) onEvent(type, JSON.parse(data.join('\n')));
}

/** Money as text: minor units and currency. */
export function money(price) {
  if (!price) return '';
  return (price.amount / 100).toFixed(2) + ' ' + price.currency;
}

/** A message line under a form: `error` true shows it as an error. */
export function say(node, text, error) {
  node.textContent = text;
  node.className = error ? 'error' : 'muted';
}

function signOut(message) {
  sessionStorage.removeItem(KEY);
  state.key = null;
  state.admin = false;
  showLogin(message || '');
}

function showLogin(message) {
  stopPage();
  document.getElementById('nav').hidden = true;
  document.getElementById('signout').hidden = true;
  document.getElementById('who').textContent = '';
  document.getElementById('view').hidden = true;
  document.getElementById('view').replaceChildren();
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = message;
}

/** Checks a key against the API: any key may list channels; only an admin key may list API keys. */
async function signIn(candidate) {
  state.key = candidate;
  try {
    await api('GET', '/v1/channels');
  } catch (error) {
    state.key = null;
    throw error.status === 401 ? new Error('That key is not known to this server.') : error;
  }
  try {
    await api('GET', '/v1/api-keys');
    state.admin = true;
  } catch (error) {
    if (error.status !== 403) throw error;
    state.admin = false;
  }
  sessionStorage.setItem(KEY, candidate);
  document.getElementById('login').hidden = true;
  document.getElementById('nav').hidden = false;
  document.getElementById('signout').hidden = false;
  document.getElementById('who').textContent = state.admin ? 'admin key' : 'read-only key';
  document.body.classList.toggle('readonly', !state.admin);
  document.getElementById('view').hidden = false;
  route();
}

function stopPage() {
  if (state.page) state.page.abort();
  state.page = null;
}

/** Shows the page the location's hash names (#/stock, #/sku/<id>, #/channels, #/live, #/audit). */
function route() {
  if (!state.key) return;
  stopPage();
  const parts = (location.hash || '#/stock').slice(2).split('/');
  const name = pages[parts[0]] ? parts[0] : 'stock';
  for (const link of document.querySelectorAll('#nav a[data-page]')) {
    link.classList.toggle('current', link.dataset.page === name || (name === 'sku' && link.dataset.page === 'stock'));
  }
  const view = document.getElementById('view');
  view.replaceChildren();
  const controller = new AbortController();
  state.page = controller;
  pages[name](view, controller.signal, parts.slice(1).map(decodeURIComponent)).catch((error) => {
    if (!controller.signal.aborted) view.append(el('p', { class: 'error', text: error.message }));
  });
}

document.getElementById('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = event.target.elements.key;
  signIn(input.value.trim()).then(() => { input.value = ''; })
    .catch((error) => { document.getElementById('login-error').textContent = error.message; });
});
document.getElementById('signout').addEventListener('click', () => signOut(''));
window.addEventListener('hashchange', route);

const stored = sessionStorage.getItem(KEY);
if (stored) {
  document.getElementById('login').hidden = true;
  signIn(stored).catch((error) => signOut(error.message));
}
