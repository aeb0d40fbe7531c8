'use strict';

// runner.js: runs a Make component's communication the way Make describes
// it, against a live billbridge: base merged in (baseUrl, headers, error),
// IML evaluated, request sent, errors mapped, iterate, output, limit,
// pagination and the id-trigger state. It stands in for Make's cloud in tests
// only; what Make does beyond its documentation is not modelled.

const { evaluate } = require('./iml');

// MakeError is what a module run ends in when the base's error directive fires.
class MakeError extends Error {
  constructor(type, message, statusCode) {
    super(message);
    this.name = type;
    this.type = type;
    this.statusCode = statusCode;
  }
}

const dropEmpty = (obj) => {
  const out = {};
  for (const [k, v] of Object.entries(obj || {})) {
    if (v !== undefined && v !== null) out[k] = v;
  }
  return out;
};

// mapError evaluates an error directive (base merged with the component's)
// for one failed response and returns the MakeError Make would raise.
const mapError = (errorDirective, ctx, functions) => {
  const spec = (errorDirective && errorDirective[String(ctx.statusCode)]) || errorDirective || {};
  const message = evaluate(spec.message || errorDirective.message || `HTTP ${ctx.statusCode}`, ctx, functions);
  const type = evaluate(spec.type || errorDirective.type || 'RuntimeError', ctx, functions);
  return new MakeError(type, message, ctx.statusCode);
};

// formData builds a multipart/form-data body the way Make documents it: a
// field is a plain value, or {value, options: {filename, contentType}} for
// a file whose value is a buffer or text.
const formData = (fields) => {
  const fd = new FormData();
  for (const [name, field] of Object.entries(fields || {})) {
    if (field && typeof field === 'object' && !Buffer.isBuffer(field) && 'value' in field) {
      const opts = field.options || {};
      const blob = new Blob([field.value], { type: opts.contentType || 'application/octet-stream' });
      fd.append(name, blob, opts.filename || name);
    } else if (field !== undefined && field !== null) {
      fd.append(name, String(field));
    }
  }
  return fd;
};

class Runner {
  // app: from loadApp(); connection: {baseUrl, apiKey, …}.
  constructor(app, connection) {
    this.app = app;
    this.connection = connection;
    this.requests = [];
  }

  ctx(extra) {
    return { connection: this.connection, ...extra };
  }

  // send evaluates one request (without response handling) and performs it.
  async send(req, vars, { useBase = true } = {}) {
    const base = useBase ? this.app.base : {};
    const fns = this.app.functions;
    const ctx = this.ctx(vars);
    let url = evaluate(req.url, ctx, fns);
    if (url.startsWith('/')) {
      url = evaluate(base.baseUrl, ctx, fns).replace(/\/+$/, '') + url;
    }
    const method = evaluate(req.method || 'GET', ctx, fns);
    const headers = dropEmpty({ ...evaluate(base.headers || {}, ctx, fns), ...evaluate(req.headers || {}, ctx, fns) });
    const qs = dropEmpty(evaluate(req.qs || {}, ctx, fns));
    const u = new URL(url);
    for (const [k, v] of Object.entries(qs)) u.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
    const init = { method, headers: { ...headers } };
    let body;
    if (req.body !== undefined && method !== 'GET') {
      body = evaluate(req.body, ctx, fns);
      if (req.type === 'multipart/form-data') {
        init.body = formData(body); // fetch sets the boundary
      } else {
        init.body = JSON.stringify(body);
        init.headers['Content-Type'] = 'application/json';
      }
    }
    const res = await fetch(u, init);
    const raw = Buffer.from(await res.arrayBuffer());
    const text = raw.toString('utf8');
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch (err) {
      parsed = text;
    }
    // A binary response is the bytes as a buffer, as Make hands them on;
    // an error response is still the problem JSON.
    if (req.response && req.response.type === 'binary' && res.status < 400) parsed = raw;
    const sent = { method, url: u.toString(), headers: init.headers, body };
    this.requests.push(sent);
    const resHeaders = Object.fromEntries(res.headers.entries());
    const rctx = { ...vars, body: parsed, headers: resHeaders, statusCode: res.status };
    if (res.status >= 400) {
      const directive = { ...((base.response && base.response.error) || {}), ...((req.response && req.response.error) || {}) };
      throw mapError(directive, this.ctx(rctx), fns);
    }
    return { sent, ctx: rctx };
  }

  // run executes a communication and returns {bundles}. A type-id trigger
  // keeps Make's state in `state` ({lastId}, 0 = "All"): it pages newest
  // first until it meets an id it has seen, emits the unseen items oldest
  // first, at most `limit` per run, and advances state.lastId.
  async run(comm, vars = {}, state = { lastId: 0 }, opts = {}) {
    const fns = this.app.functions;
    const response = comm.response || {};
    const trigger = response.trigger;
    let ctx = (await this.send(comm, vars, opts)).ctx;
    if (!response.iterate) {
      const out = response.output === undefined ? ctx.body : evaluate(response.output, this.ctx(ctx), fns);
      const result = { bundles: [out] };
      if (response.data) result.data = evaluate(response.data, this.ctx(ctx), fns);
      if (response.metadata) result.metadata = evaluate(response.metadata, this.ctx(ctx), fns);
      return result;
    }
    const limit = response.limit === undefined ? Infinity : Number(evaluate(response.limit, this.ctx(vars), fns));
    const container = typeof response.iterate === 'string' ? response.iterate : response.iterate.container;
    const collected = [];
    for (let pages = 1; ; pages++) {
      let seen = false;
      for (const item of evaluate(container, this.ctx(ctx), fns) || []) {
        const ictx = this.ctx({ ...ctx, item });
        const id = trigger ? Number(evaluate(trigger.id, ictx, fns)) : undefined;
        if (trigger && id <= state.lastId) {
          seen = true; // newest first: the rest was seen before
          break;
        }
        collected.push({ id, out: response.output === undefined ? item : evaluate(response.output, ictx, fns) });
      }
      if (seen || (!trigger && collected.length >= limit) || !comm.pagination) break;
      const p = comm.pagination;
      const pctx = this.ctx(ctx);
      if (p.condition !== undefined && !evaluate(p.condition, pctx, fns)) break;
      if (pages >= 100) throw new Error('pagination did not end after 100 pages');
      const merge = p.mergeWithParent !== false;
      ctx = (await this.send({
        url: p.url || comm.url,
        method: p.method || comm.method,
        headers: { ...(merge ? comm.headers : {}), ...p.headers },
        qs: { ...(merge ? comm.qs : {}), ...evaluate(p.qs || {}, pctx, fns) },
        body: p.body || (merge ? comm.body : undefined),
      }, vars, opts)).ctx;
    }
    if (!trigger) {
      return { bundles: collected.slice(0, limit).map((b) => b.out) };
    }
    const ordered = trigger.order === 'desc' ? [...collected].reverse() : collected;
    const emitted = ordered.slice(0, limit);
    if (emitted.length > 0) state.lastId = Math.max(state.lastId, ...emitted.map((b) => b.id));
    return { bundles: emitted.map((b) => b.out) };
  }
}

module.exports = { Runner, MakeError, mapError };
