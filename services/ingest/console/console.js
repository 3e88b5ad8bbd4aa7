// The Switchyard operator console (docs/console.md). Plain JavaScript, no library, no build
// step. Everything it shows comes from the tenant API on the same origin, and every value that
// came from there (which may hold text a PSA sent) reaches the page through textContent or an
// attribute, never as HTML: the page builds its elements itself.
'use strict';

const TOKEN_KEY = 'switchyard.console.token';
const PAGE_SIZE = 50;
const ERROR_WINDOW_MS = 24 * 3600 * 1000;
const ERROR_COUNT_LIMIT = 500;

const state = {
  tenants: [],
  tenant: null,       // the selected tenant's entry of GET /v1/tenants
  cursor: '',         // the activity page's next_cursor
  replayed: new Map(), // dead-letter place → when it was replayed
  reasons: new Map(), // "<psa>/<code>" → the catalogue entry (a promise)
};

const $ = (id) => document.getElementById(id);

// An element with text (never HTML) and attributes.
function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  return node;
}

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const error = (json && json.error) || {};
    throw new ApiError(response.status, error.code || 'http_' + response.status,
                       error.message || 'the API answered ' + response.status);
  }
  return json;
}

const tenantPath = (suffix) => '/v1/tenants/' + encodeURIComponent(state.tenant.id) + suffix;
// An answer that arrives after the operator picked another tenant is dropped, never shown.
const stillShowing = (tenant) => state.tenant === tenant;

function describeError(error) {
  if (error instanceof ApiError) {
    if (error.status === 403) return 'This token may not do that for this tenant (403).';
    return error.message + ' (' + error.code + ')';
  }
  return 'The console could not reach Switchyard: ' + error.message;
}

function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return isNaN(date) ? iso : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

// ---- signing in -------------------------------------------------------------------------

async function signIn() {
  try {
    const list = await api('GET', '/v1/tenants');
    state.tenants = list.tenants;
  } catch (error) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn(error instanceof ApiError && error.status === 401 ? 'That token is not known.' : describeError(error));
    return;
  }
  $('sign-in').hidden = true;
  $('console').hidden = false;
  $('sign-out').hidden = false;
  renderTenantList();
  if (state.tenants.length > 0) await selectTenant(state.tenants[0].id);
}

function showSignIn(message) {
  $('sign-in').hidden = false;
  $('console').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in-error').textContent = message || '';
}

// ---- the tenant list --------------------------------------------------------------------

function renderTenantList() {
  const list = $('tenant-list');
  list.replaceChildren();
  if (state.tenants.length === 0) list.append(el('li', 'This token covers no tenant.', { class: 'muted' }));
  for (const tenant of state.tenants) {
    const button = el('button', tenant.id, { type: 'button', 'data-tenant': tenant.id });
    if (state.tenant && state.tenant.id === tenant.id) button.classList.add('selected');
    button.append(el('span', tenant.psa_name + (tenant.mode === 'test' ? ' · test' : ''), { class: 'psa' }));
    button.addEventListener('click', () => selectTenant(tenant.id));
    const item = el('li');
    item.append(button);
    list.append(item);
  }
}

async function selectTenant(id) {
  state.tenant = state.tenants.find((t) => t.id === id) || null;
  if (!state.tenant) return;
  renderTenantList();
  $('tenant').hidden = false;
  $('tenant-title').textContent = state.tenant.id;
  $('tenant-psa').textContent = state.tenant.psa_name;
  // Test mode (docs/test-mode.md): commands are only rendered; the operator must not miss it.
  $('tenant-mode').hidden = state.tenant.mode !== 'test';
  $('action-result').textContent = '';
  $('error-count').textContent = '…';
  $('tenant-status').textContent = '';
  await refreshTenant();
}

async function refreshTenant() {
  await Promise.all([loadStatus(), loadHealth(), loadErrorCount(), loadActivity(false)]);
}

// ---- connection status, health, error count --------------------------------------------

// The newest record of one kind, or null.
async function newest(kind) {
  const page = await api('GET', tenantPath('/activity?limit=1&kind=' + encodeURIComponent(kind)));
  return page.records.length > 0 ? page.records[0] : null;
}

async function loadStatus() {
  const status = $('tenant-status');
  status.className = 'status';
  if (state.tenant.paused) {
    status.textContent = 'paused';
    status.classList.add('warn');
    return;
  }
  const tenant = state.tenant;
  try {
    const [test, auth] = await Promise.all([newest('connection_test'), newest('auth')]);
    if (!stillShowing(tenant)) return;
    const latest = [test, auth].filter(Boolean).sort((a, b) => (a.at < b.at ? 1 : -1))[0];
    if (!latest) {
      status.textContent = 'connection not tested yet';
    } else if (latest.outcome === 'completed') {
      status.textContent = 'connected (tested ' + formatTime(latest.at) + ')';
      status.classList.add('ok');
    } else {
      status.textContent = (latest.kind === 'auth' ? 'credentials refused' : 'connection failing') +
                           ' (' + formatTime(latest.at) + ')';
      status.classList.add('bad');
    }
  } catch (error) {
    status.textContent = describeError(error);
  }
}

async function loadHealth() {
  const body = $('health-table').querySelector('tbody');
  const silence = $('silence');
  const tenant = state.tenant;
  let rows;
  let silent = '';
  try {
    const health = await api('GET', tenantPath('/health'));
    const entities = Object.keys(health.entities).sort();
    rows = entities.map((entity) => {
      const row = el('tr', null, { 'data-entity': entity });
      row.append(el('td', entity), el('td', formatTime(health.entities[entity].last_event)),
                 el('td', formatTime(health.entities[entity].last_poll)));
      return row;
    });
    if (rows.length === 0) rows.push(rowWithText('Nothing synced yet.', 3));
    if (health.silent) {
      silent = 'Silent: no change from this tenant for longer than ' +
               Math.round(health.silence_threshold_seconds / 60) + ' minutes.';
    }
  } catch (error) {
    rows = [rowWithText(describeError(error), 3)];
  }
  if (!stillShowing(tenant)) return;
  body.replaceChildren(...rows);
  silence.hidden = !silent;
  silence.textContent = silent;
}

async function loadErrorCount() {
  const since = new Date(Date.now() - ERROR_WINDOW_MS).toISOString();
  const count = $('error-count');
  const tenant = state.tenant;
  try {
    const page = await api('GET', tenantPath('/activity?problems=true&limit=' + ERROR_COUNT_LIMIT +
                                             '&since=' + encodeURIComponent(since)));
    if (!stillShowing(tenant)) return;
    count.textContent = page.records.length + (page.next_cursor ? '+' : '');
    count.className = 'big' + (page.records.length > 0 ? ' bad' : ' ok');
  } catch (error) {
    count.textContent = '?';
  }
}

function rowWithText(text, columns) {
  const row = el('tr');
  row.append(el('td', text, { colspan: String(columns), class: 'muted' }));
  return row;
}

// ---- activity ---------------------------------------------------------------------------

function activityQuery() {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if ($('filter-kind').value) params.set('kind', $('filter-kind').value);
  if ($('filter-outcome').value) params.set('outcome', $('filter-outcome').value);
  if ($('filter-problems').checked) params.set('problems', 'true');
  return params;
}

let activityRequests = 0;  // only the newest request's answer is shown

async function loadActivity(older) {
  const body = $('activity-table').querySelector('tbody');
  const params = activityQuery();
  if (older && state.cursor) params.set('cursor', state.cursor);
  const request = ++activityRequests;
  let rows;
  try {
    const [page] = await Promise.all([api('GET', tenantPath('/activity?' + params.toString())), loadReplayed()]);
    rows = page.records.map(activityRow);
    if (!older && rows.length === 0) rows.push(rowWithText('No activity matches.', 9));
    if (request === activityRequests) state.cursor = page.next_cursor || '';
  } catch (error) {
    rows = [rowWithText(describeError(error), 9)];
  }
  if (request !== activityRequests) return;
  if (older) body.append(...rows);
  else body.replaceChildren(...rows);
  $('older').hidden = !state.cursor;
}

// Which of the tenant's recent dead letters were replayed, and when (GET .../dead-letters).
async function loadReplayed() {
  state.replayed = new Map();
  try {
    const page = await api('GET', tenantPath('/dead-letters?limit=500'));
    for (const letter of page.dead_letters) {
      if (letter.replayed_at) state.replayed.set(letter.dead_letter, letter.replayed_at);
    }
  } catch (error) {
    // The rows then offer a plain replay, which the API answers as "already replayed".
  }
}

const PROBLEMS = new Set(['dead_lettered', 'failed', 'parked', 'retried']);

function activityRow(record) {
  const row = el('tr', null, { class: 'activity' + (PROBLEMS.has(record.outcome) ? ' problem' : '') });
  row.dataset.outcome = record.outcome || '';
  if (record.dead_letter) row.dataset.deadLetter = record.dead_letter;
  row.append(el('td', formatTime(record.at), { class: 'nowrap' }), el('td', record.kind, { class: 'nowrap' }),
             el('td', record.entity || '', { class: 'nowrap' }), el('td', record.psa_id || '', { class: 'id' }),
             el('td', record.outcome, { class: 'outcome nowrap' }),
             el('td', record.reason || '', { class: 'reason nowrap' }), el('td', record.message || '', { class: 'text' }),
             el('td', record.trace_id ? record.trace_id.slice(0, 8) : '', { class: 'nowrap', title: record.trace_id || '' }));
  const buttons = el('td', null, { class: 'row-actions' });
  if (record.reason) {
    const why = el('button', 'Why?', { type: 'button', class: 'explain' });
    why.addEventListener('click', () => toggleExplanation(row, record, why));
    buttons.append(why);
  }
  if (record.outcome === 'dead_lettered' && record.dead_letter) {
    const replayedAt = state.replayed.get(record.dead_letter);
    const replay = el('button', replayedAt ? 'Replay again' : 'Replay', { type: 'button', class: 'replay' });
    replay.addEventListener('click', () => replayOne(record.dead_letter, replay, Boolean(replayedAt)));
    buttons.append(replay);
    if (replayedAt) buttons.append(el('div', 'replayed ' + formatTime(replayedAt), { class: 'replayed-at' }));
  }
  row.append(buttons);
  return row;
}

function reasonEntry(code) {
  const key = state.tenant.psa + '/' + code;
  if (!state.reasons.has(key)) {
    const entry = api('GET', '/v1/reasons/' + encodeURIComponent(code) + '?psa=' + encodeURIComponent(state.tenant.psa));
    entry.catch(() => state.reasons.delete(key));  // asked again next time
    state.reasons.set(key, entry);
  }
  return state.reasons.get(key);
}

async function toggleExplanation(row, record, button) {
  const next = row.nextElementSibling;
  if (next && next.classList.contains('explanation')) {
    next.remove();
    button.textContent = 'Why?';
    return;
  }
  const panel = el('div', null, { class: 'explanation-body' });
  const holder = el('tr', null, { class: 'explanation' });
  const cell = el('td', null, { colspan: '9' });
  cell.append(panel);
  holder.append(cell);
  row.after(holder);
  button.textContent = 'Hide';
  try {
    const reason = await reasonEntry(record.reason);
    panel.append(el('h4', reason.message, { class: 'reason-message' }));
    const list = el('dl');
    list.append(el('dt', 'Likely cause'), el('dd', reason.cause, { class: 'reason-cause' }));
    list.append(el('dt', 'What to do'), el('dd', reason.fix, { class: 'reason-fix' }));
    if (reason.psa_steps) {
      list.append(el('dt', 'In ' + reason.psa_steps.psa), el('dd', reason.psa_steps.steps, { class: 'reason-steps' }));
    }
    list.append(el('dt', 'Retried by Switchyard'),
                el('dd', reason.retried ? 'yes, by itself' : 'no, not until the cause is fixed', { class: 'reason-retried' }));
    list.append(el('dt', 'Reference'), el('dd', reason.help + ' (code ' + reason.code + ')'));
    panel.append(list);
  } catch (error) {
    panel.append(el('p', describeError(error), { class: 'error' }));
  }
}

// ---- actions ----------------------------------------------------------------------------

function showResult(text, good) {
  const result = $('action-result');
  result.textContent = text;
  result.className = 'result ' + (good ? 'ok' : 'bad');
}

async function runAction(button, action) {
  button.disabled = true;
  try {
    await action();
  } catch (error) {
    showResult(describeError(error), false);
  } finally {
    button.disabled = false;
  }
}

function replayText(outcome) {
  const parts = ['replayed ' + outcome.replayed];
  if (outcome.already_replayed) parts.push(outcome.already_replayed + ' already replayed before');
  if (outcome.not_found) parts.push(outcome.not_found + ' not found');
  if (outcome.failed) parts.push(outcome.failed + ' failed (run it again)');
  if (outcome.more) parts.push('more match: run it again');
  return 'Replay: ' + parts.join(', ') + '.';
}

async function replay(body) {
  const outcome = await api('POST', tenantPath('/dead-letters/replay'), body);
  showResult(replayText(outcome), outcome.failed === 0);
  await refreshTenant();
}

// "again": a letter replayed before is sent once more (dispatch's executed-command records and
// normalize's dedup still keep it from being written twice).
function replayOne(place, button, again) {
  return runAction(button, () => replay(again ? { dead_letters: [place], again: true } : { dead_letters: [place] }));
}

function wireActions() {
  $('test-connection').addEventListener('click', (e) => runAction(e.target, async () => {
    const report = await api('POST', tenantPath('/connection-test'));
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name + ': ' + c.detail);
    // Warnings (more PSA access than needed) never fail the test, but are shown either way.
    const warned = (report.warnings || []).map((w) => ' Warning: ' + w.message);
    showResult((report.ok ? 'Connection test passed.' + (report.resumed ? ' The tenant resumed.' : '')
                          : 'Connection test failed. ' + failed.join('; ')) + warned.join(''), report.ok);
    await refreshTenant();
  }));
  $('sync-now').addEventListener('click', (e) => runAction(e.target, async () => {
    const answer = await api('POST', tenantPath('/sync'), {});
    showResult('Sync requested' + (answer.entities ? ' for ' + answer.entities.join(', ') : '') + '.', true);
  }));
  $('replay-all').addEventListener('click', (e) => runAction(e.target, () => replay({ all: true })));
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    loadActivity(false);
  });
  $('older').addEventListener('click', () => loadActivity(true));
  $('use-token').addEventListener('click', () => {
    const token = $('token').value.trim();
    if (!token) return showSignIn('Paste a token first.');
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    signIn();
  });
  $('token').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') $('use-token').click();
  });
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    state.tenant = null;
    showSignIn('');
  });
}

document.addEventListener('DOMContentLoaded', () => {
  wireActions();
  if (sessionStorage.getItem(TOKEN_KEY)) signIn();
  else showSignIn('');
});
