'use strict';

// http.js: the request and response middleware every call goes through, and
// the helpers that send writes with an Idempotency-Key.

const crypto = require('crypto');

// baseUrl returns the connection's base URL as the user typed it, trimmed.
const baseUrl = (bundle) => String((bundle.authData && bundle.authData.baseUrl) || '').trim();

// loopback hosts may be reached over plain HTTP: a billbridge on the same
// machine (tests, a local trial). Zapier itself never reaches them.
const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);

// baseUrlProblem returns why a base URL cannot be used, or '' when it can:
// it must be an https:// address (http:// only on this machine), with no
// trailing slash, no /v1, no query and no fragment.
const baseUrlProblem = (raw) => {
  let u;
  try {
    u = new URL(raw);
  } catch (err) {
    return `"${raw}" is not a web address; it looks like https://billing.example.ch`;
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback.has(u.hostname))) {
    return `"${raw}" must start with https:// (billbridge only takes API keys over HTTPS)`;
  }
  if (raw.endsWith('/')) {
    return `"${raw}" ends with a slash; leave it out: ${raw.replace(/\/+$/, '')}`;
  }
  if (/\/v1$/.test(u.pathname)) {
    return `"${raw}" ends with /v1; leave it out: ${raw.replace(/\/v1$/, '')}`;
  }
  if (u.search || u.hash || u.username || u.password) {
    return `"${raw}" must be a plain address, without ?, # or a user name`;
  }
  return '';
};

// addAuthAndBase points relative URLs at the connection's billbridge and
// sends the API key as a Bearer token, to billbridge only: a file the user
// maps in (a URL Zapier hands over) is fetched without it. A base URL that
// baseUrlProblem refuses stops the request with a message saying what to fix,
// so the connection test (GET /v1/me) refuses it too.
const addAuthAndBase = (request, z, bundle) => {
  if (request.url && request.url.startsWith('/')) {
    const problem = baseUrlProblem(baseUrl(bundle));
    if (problem) {
      throw new z.errors.Error(`The billbridge URL ${problem}.`, 'invalid_base_url', 400);
    }
    request.url = baseUrl(bundle) + request.url;
  }
  request.headers = request.headers || {};
  const ours = baseUrl(bundle) !== '' && String(request.url || '').startsWith(`${baseUrl(bundle)}/`);
  if (ours && bundle.authData && bundle.authData.apiKey) {
    request.headers.Authorization = `Bearer ${bundle.authData.apiKey}`;
  }
  request.headers.Accept = request.headers.Accept || 'application/json';
  return request;
};

// problemMessage renders an RFC 9457 problem body as one readable sentence:
// the detail (or title), then the names of the invalid fields with reasons.
const problemMessage = (status, problem) => {
  let msg = (problem && (problem.detail || problem.title)) || `billbridge answered HTTP ${status}`;
  const params = (problem && Array.isArray(problem.invalid_params) && problem.invalid_params) || [];
  if (params.length > 0) {
    msg += ` (${params.map((p) => (p.reason ? `${p.name}: ${p.reason}` : p.name)).join('; ')})`;
  }
  if (problem && problem.existing_id) {
    msg += ` [existing id: ${problem.existing_id}]`;
  }
  if (problem && problem.request_id) {
    msg += ` [request ${problem.request_id}]`;
  }
  return msg;
};

// haltCodes are the problems of one record that a repeat of the same step
// would only meet again: the data is invalid, conflicts with what billbridge
// holds, or names something that does not exist. They stop this run as a
// HaltedError, which Zapier neither replays nor counts towards switching the
// Zap off; everything else (a wrong key, a server error) stays an error that
// Zapier reports and replays.
const haltCodes = new Set(['validation_failed', 'conflict', 'external_id_conflict', 'not_found', 'idempotency_key_reused']);

// throwForProblem turns any 4xx/5xx into an error whose message is the
// problem's detail with the invalid fields named: a HaltedError for the
// codes in haltCodes, a ThrottledError waiting Retry-After while the same
// Idempotency-Key is still being processed (409 idempotency_key_in_use), and
// a z.errors.Error carrying the problem's code otherwise. A 429 never gets
// here: core turns it into a ThrottledError carrying Retry-After first.
const throwForProblem = (response, z) => {
  if (response.status < 400 || response.skipThrowForStatus) {
    return response;
  }
  let problem = null;
  try {
    problem = JSON.parse(response.content);
  } catch (err) {
    problem = null;
  }
  const code = (problem && problem.code) || `http_${response.status}`;
  const message = problemMessage(response.status, problem);
  if (response.status < 500 && haltCodes.has(code)) {
    throw new z.errors.HaltedError(`${message} (${code}, HTTP ${response.status})`);
  }
  if (code === 'idempotency_key_in_use') {
    const wait = parseInt(response.headers && response.headers.get ? response.headers.get('retry-after') : '', 10);
    throw new z.errors.ThrottledError(message, Number.isInteger(wait) && wait > 0 ? wait : 5);
  }
  throw new z.errors.Error(message, code, response.status);
};

// canonical returns JSON with object keys sorted at every level, so equal
// inputs give equal strings whatever order Zapier hands the fields in.
const canonical = (value) => {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value === undefined ? null : value);
};

// idempotencyKey returns the key a write sends: the user's own when given,
// otherwise one derived from the action and its business data (Zapier passes
// no run id), so a replayed step sends the same key and creates nothing new.
const idempotencyKey = (action, inputData) => {
  const { idempotency_key: own, ...rest } = inputData || {};
  if (own && String(own).trim() !== '') {
    return String(own).trim();
  }
  const digest = crypto.createHash('sha256').update(`${action}\n${canonical(rest)}`).digest('hex');
  return `zap.${action}.${digest}`;
};

// send sends one write with an Idempotency-Key and returns the parsed body.
// keyed chooses the key: 'derived' sends idempotencyKey(action, input), so a
// replayed create answers the first response; 'own' sends only a key the
// user gave, for writes that are idempotent by themselves (a PATCH, an
// upsert matched by natural keys), where a derived key would replay a stale
// answer after the record changed A → B → A.
const send = async (z, bundle, { action, method = 'POST', url, body, keyed = 'derived' }) => {
  const headers = { 'Content-Type': 'application/json' };
  const own = String((bundle.inputData && bundle.inputData.idempotency_key) || '').trim();
  if (keyed === 'derived' || own !== '') {
    headers['Idempotency-Key'] = idempotencyKey(action, bundle.inputData);
  }
  const response = await z.request({ url, method, headers, body: body === undefined ? {} : body });
  return response.data;
};

// write sends one POST keyed by idempotencyKey and returns the parsed body.
const write = (z, bundle, action, url, body) => send(z, bundle, { action, url, body });

// compact drops empty strings, nulls and undefined from a flat object, so
// optional fields left blank in the Zap are not sent at all.
const compact = (obj) => {
  const out = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== undefined && v !== null && v !== '') {
      out[k] = v;
    }
  }
  return out;
};

module.exports = { baseUrlProblem, haltCodes, addAuthAndBase, throwForProblem, problemMessage, canonical, idempotencyKey, send, write, compact };
