'use strict';

// http.js: the request and response middleware every call goes through, and
// the helpers that send writes with an Idempotency-Key.

const crypto = require('crypto');

// baseUrl returns the connection's base URL without a trailing slash.
const baseUrl = (bundle) => String(bundle.authData.baseUrl || '').trim().replace(/\/+$/, '');

// addAuthAndBase points relative URLs at the connection's billbridge and
// sends the API key as a Bearer token, to billbridge only: a file the user
// maps in (a URL Zapier hands over) is fetched without it.
const addAuthAndBase = (request, z, bundle) => {
  if (request.url && request.url.startsWith('/')) {
    request.url = baseUrl(bundle) + request.url;
  }
  request.headers = request.headers || {};
  const ours = baseUrl(bundle) !== '' && String(request.url || '').startsWith(`${baseUrl(bundle)}/`);
  if (ours && bundle.authData && bundle.authData.apiKey) {
    request.headers.Authorization = `Bearer ${bundle.authData.apiKey}`;
  }
  request.headers.Accept = 'application/json';
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

// throwForProblem turns any 4xx/5xx into a z.errors.Error whose message is
// the problem's detail and whose code is the problem's code. A 429 never gets
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
  throw new z.errors.Error(problemMessage(response.status, problem), code, response.status);
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

// write sends one keyed POST and returns the parsed body.
const write = async (z, bundle, action, url, body) => {
  const response = await z.request({
    url,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey(action, bundle.inputData) },
    body: body === undefined ? {} : body,
  });
  return response.data;
};

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

module.exports = { addAuthAndBase, throwForProblem, problemMessage, canonical, idempotencyKey, write, compact };
