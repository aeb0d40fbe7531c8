'use strict';

// openapi.test.js: every request the Make app sends exists in billbridge's
// OpenAPI spec: the path and method; each query key as a query parameter;
// each body field (nested collections and arrays too) as a property of the
// request schema, with a compatible type; the Idempotency-Key header where a
// write sends one; and the output fields of actions and searches as
// properties of the response schema. The spec is BILLBRIDGE_OPENAPI or
// openapi/openapi.json; when it is missing the test fails.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { loadApp } = require('./lib/app');

const specPath = process.env.BILLBRIDGE_OPENAPI || path.resolve(__dirname, '..', '..', 'openapi', 'openapi.json');
const app = loadApp();

const loadSpec = () => {
  assert.ok(fs.existsSync(specPath), `no OpenAPI spec at ${specPath}`);
  return JSON.parse(fs.readFileSync(specPath, 'utf8'));
};

// deref follows local $refs.
const deref = (spec, node, seen = new Set()) => {
  while (node && node.$ref) {
    assert.ok(node.$ref.startsWith('#/'), `only local $refs are supported: ${node.$ref}`);
    assert.ok(!seen.has(node.$ref), `$ref cycle at ${node.$ref}`);
    seen.add(node.$ref);
    node = node.$ref.slice(2).split('/').reduce((o, k) => o && o[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
    assert.ok(node, `dangling $ref`);
  }
  return node;
};

// flat merges allOf and collects oneOf/anyOf alternatives into one view:
// {types:Set, properties:{}, items, enum}.
const flat = (spec, schema) => {
  schema = deref(spec, schema) || {};
  const view = { types: new Set(), properties: {}, items: undefined, enum: undefined };
  const add = (s) => {
    s = deref(spec, s) || {};
    if (s.type) (Array.isArray(s.type) ? s.type : [s.type]).forEach((t) => view.types.add(t));
    if (s.nullable) view.types.add('null');
    if (s.properties) Object.assign(view.properties, s.properties);
    if (s.items) view.items = s.items;
    if (s.enum) view.enum = [...(view.enum || []), ...s.enum];
    if (s.properties && !s.type) view.types.add('object');
    for (const k of ['allOf', 'oneOf', 'anyOf']) (s[k] || []).forEach(add);
  };
  add(schema);
  return view;
};

// Which JSON Schema types a Make parameter type may feed.
const compatible = {
  text: ['string'], email: ['string'], url: ['string'], password: ['string'], select: ['string'], date: ['string'],
  number: ['number', 'integer', 'string'], integer: ['integer', 'number'], uinteger: ['integer', 'number'],
  boolean: ['boolean'], collection: ['object'], array: ['array'],
  buffer: ['string'], filename: ['string'],
};

const typeOfLiteral = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : Number.isInteger(v) ? 'integer' : typeof v);

// matchPath finds the spec path for a URL template with {{…}} segments.
const matchPath = (spec, url) => {
  const clean = url.replace(/^\{\{[^}]*\}\}/, '').split('?')[0];
  const segs = clean.split('/');
  return Object.keys(spec.paths).find((p) => {
    const ps = p.split('/');
    return ps.length === segs.length && ps.every((s, i) => (/^\{.+\}$/.test(s) ? /^\{\{.+\}\}$/.test(segs[i]) || segs[i] !== '' : s === segs[i]));
  });
};

// paramDecl finds the Make parameter an expression like {{parameters.x}} names.
const paramDecl = (decls, expr) => {
  const m = typeof expr === 'string' && expr.match(/^\{\{parameters\.([\w]+)\}\}$/);
  return m ? decls.find((d) => d.name === m[1]) : undefined;
};

// checkValue checks one body or query value against its schema.
const checkValue = (spec, where, value, schema, decls, problems) => {
  const view = flat(spec, schema);
  const types = [...view.types];
  const decl = paramDecl(decls, value);
  if (decl) {
    const ok = compatible[decl.type];
    if (!ok) return problems.push(`${where}: Make type ${decl.type} is not mapped`);
    // A select with multiple: true sends an array of its option values.
    const multi = decl.type === 'select' && decl.multiple === true;
    const accepted = multi ? ['array'] : ok;
    if (types.length && !accepted.some((t) => view.types.has(t))) problems.push(`${where}: Make ${decl.type}${multi ? ' (multiple)' : ''} vs spec ${types.join('|')}`);
    const optionEnum = multi ? view.items && flat(spec, view.items).enum : view.enum;
    if (decl.type === 'select' && Array.isArray(decl.options) && optionEnum) {
      for (const o of decl.options) if (!optionEnum.includes(o.value)) problems.push(`${where}: option ${o.value} not in spec enum`);
    }
    if (decl.type === 'collection' && Array.isArray(decl.spec)) checkFields(spec, where, decl.spec, view, problems);
    if (decl.type === 'array' && decl.spec && Array.isArray(decl.spec.spec)) checkFields(spec, `${where}[]`, decl.spec.spec, flat(spec, view.items), problems);
  } else if (typeof value === 'string' && value.includes('{{')) {
    // another expression (webhook.url, body.next_cursor…): the name is checked, not the type
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (!view.properties[k]) problems.push(`${where}.${k}: not in spec`);
      else checkValue(spec, `${where}.${k}`, v, view.properties[k], decls, problems);
    }
  } else if (types.length) {
    const t = typeOfLiteral(value);
    if (!(view.types.has(t) || (t === 'integer' && view.types.has('number')))) problems.push(`${where}: literal ${JSON.stringify(value)} vs spec ${types.join('|')}`);
    if (view.enum && !Array.isArray(value) && !view.enum.includes(value)) problems.push(`${where}: ${value} not in spec enum`);
  }
};

// checkFields checks Make parameter declarations (a collection's spec) as
// properties of an object schema view.
const checkFields = (spec, where, fields, view, problems) => {
  for (const f of fields) {
    if (!view.properties[f.name]) problems.push(`${where}.${f.name}: not in spec`);
    else checkValue(spec, `${where}.${f.name}`, `{{parameters.${f.name}}}`, view.properties[f.name], fields, problems);
  }
};

// requests lists every request the app sends, with the parameter
// declarations its expressions refer to.
const requests = () => {
  const out = [];
  for (const [type, byId] of Object.entries(app.components)) {
    for (const [id, { meta, code }] of Object.entries(byId)) {
      // The universal module sends what the user types: its URL is checked
      // to stay relative (structure.test.js), not against the spec.
      if (meta.moduleType === 'universal') continue;
      const decls = [...(code.mappableParams || []), ...(code.staticParams || []), ...(code.params || [])];
      for (const codeType of ['communication', 'epoch', 'attach', 'detach']) {
        const c = code[codeType];
        if (c && c.url) out.push({ where: `${type} ${id} ${codeType}`, comm: c, decls, meta, code, codeType });
      }
    }
  }
  return out;
};

// expandSelects turns a request whose URL holds a select parameter with
// fixed options ("/v1/exports/{{parameters.file}}") into one request per
// option, so each URL it can send is checked. An option's nested
// parameters are declared for its request only; a query parameter mapped
// from a parameter the option does not offer is empty there, and Make
// sends no empty query parameter, so it is left out of that request.
const expandSelects = (req) => {
  const m = /\{\{parameters\.(\w+)\}\}/.exec(req.comm.url);
  const decl = m && req.decls.find((d) => d.name === m[1] && d.type === 'select' && Array.isArray(d.options));
  if (!decl) return [req];
  return decl.options.map((o) => {
    const decls = [...req.decls, ...(Array.isArray(o.nested) ? o.nested : [])];
    const offered = (v) => {
      const p = typeof v === 'string' && v.match(/^\{\{parameters\.(\w+)\}\}$/);
      return !p || decls.some((d) => d.name === p[1]);
    };
    const qs = req.comm.qs && Object.fromEntries(Object.entries(req.comm.qs).filter(([, v]) => offered(v)));
    return { ...req, decls, where: `${req.where} (${decl.name}=${o.value})`, comm: { ...req.comm, url: req.comm.url.replace(m[0], o.value), qs } };
  });
};

test('every request the Make app sends is in the OpenAPI spec, with matching names and types', () => {
  const spec = loadSpec();
  const problems = [];
  const all = requests();
  assert.ok(all.length >= 30, `only ${all.length} requests found`);
  for (const { where, comm, decls } of all.flatMap(expandSelects)) {
    const p = matchPath(spec, comm.url);
    if (!p) {
      problems.push(`${where}: ${comm.url} is not a path in the spec`);
      continue;
    }
    const method = (comm.method || 'GET').toLowerCase();
    const op = spec.paths[p][method];
    if (!op) {
      problems.push(`${where}: ${method.toUpperCase()} ${p} is not in the spec`);
      continue;
    }
    const params = [...(spec.paths[p].parameters || []), ...(op.parameters || [])].map((x) => deref(spec, x));
    const qs = { ...(comm.qs || {}), ...((comm.pagination && comm.pagination.qs) || {}) };
    for (const [k, v] of Object.entries(qs)) {
      const decl = params.find((x) => x.in === 'query' && x.name === k);
      if (!decl) problems.push(`${where}: query ${k} is not a parameter of ${method.toUpperCase()} ${p}`);
      else checkValue(spec, `${where} ?${k}`, v, decl.schema || {}, decls, problems);
    }
    // Headers the operation's security schemes carry (Authorization for
    // bearer, the apiKey header's name) are credentials, not parameters.
    const schemes = (spec.components && spec.components.securitySchemes) || {};
    const credentialHeaders = (op.security || spec.security || []).flatMap((req) => Object.keys(req)).map((name) => {
      const sc = schemes[name] || {};
      if (sc.type === 'http' || sc.type === 'oauth2') return 'authorization';
      return sc.type === 'apiKey' && sc.in === 'header' ? String(sc.name).toLowerCase() : '';
    });
    for (const h of Object.keys(comm.headers || {})) {
      if (credentialHeaders.includes(h.toLowerCase())) continue;
      if (!params.some((x) => x.in === 'header' && x.name.toLowerCase() === h.toLowerCase())) {
        problems.push(`${where}: header ${h} is not a parameter of ${method.toUpperCase()} ${p}`);
      }
    }
    if (comm.body !== undefined && comm.type === 'multipart/form-data') {
      // A file field is {value, options: {filename}}: its value is checked.
      const rb = deref(spec, op.requestBody);
      const schema = rb && rb.content && rb.content['multipart/form-data'] && rb.content['multipart/form-data'].schema;
      if (!schema) problems.push(`${where}: ${method.toUpperCase()} ${p} takes no multipart/form-data body`);
      else {
        const view = flat(spec, schema);
        for (const [k, v] of Object.entries(comm.body)) {
          if (!view.properties[k]) problems.push(`${where} body.${k}: not in spec`);
          else checkValue(spec, `${where} body.${k}`, v && typeof v === 'object' && 'value' in v ? v.value : v, view.properties[k], decls, problems);
        }
        for (const k of flat(spec, schema).types.has('object') ? deref(spec, schema).required || [] : []) {
          if (!(k in comm.body)) problems.push(`${where} body: required ${k} is not sent`);
        }
      }
    } else if (comm.body !== undefined && ['post', 'put', 'patch'].includes(method)) {
      const rb = deref(spec, op.requestBody);
      const schema = rb && rb.content && rb.content['application/json'] && rb.content['application/json'].schema;
      if (!schema) {
        if (Object.keys(comm.body).length > 0) problems.push(`${where}: ${method.toUpperCase()} ${p} takes no JSON body`);
      } else {
        checkValue(spec, `${where} body`, comm.body, schema, decls, problems);
      }
    }
  }
  assert.deepStrictEqual(problems, []);
});

test('action and search outputs are fields of the response schema', () => {
  const spec = loadSpec();
  const problems = [];
  for (const { where, comm, meta, code, codeType } of requests().flatMap(expandSelects)) {
    if (codeType !== 'communication' || !['action', 'search'].includes(meta.moduleType)) continue;
    const p = matchPath(spec, comm.url);
    const op = p && spec.paths[p][(comm.method || 'GET').toLowerCase()];
    if (!op) continue; // reported by the test above
    const ok = Object.entries(op.responses || {}).filter(([s]) => /^2/.test(s)).map(([, r]) => deref(spec, r));
    if (comm.response && comm.response.type === 'binary') {
      // A file: the operation answers something other than JSON, and the
      // module hands it on as Make's file pair.
      if (!ok.some((r) => Object.keys(r.content || {}).some((mt) => mt !== 'application/json'))) problems.push(`${where}: binary, yet no non-JSON 2xx response`);
      const pair = code.interface.map((f) => `${f.name}:${f.type}`).sort().join(',');
      if (pair !== 'data:buffer,fileName:filename') problems.push(`${where}: a file output is fileName (filename) and data (buffer), not ${pair}`);
      continue;
    }
    const schema = ok.map((r) => r.content && r.content['application/json'] && r.content['application/json'].schema).find(Boolean);
    if (!schema) {
      problems.push(`${where}: no JSON 2xx response schema`);
      continue;
    }
    let view = flat(spec, schema);
    if (meta.moduleType === 'search') view = flat(spec, flat(spec, view.properties.data || {}).items || {});
    for (const f of code.interface) {
      if (!view.properties[f.name]) problems.push(`${where}: output ${f.name} is not in the response schema`);
    }
  }
  assert.deepStrictEqual(problems, []);
});

test('event types: every type of the spec is offered by an instant trigger, and every type a trigger asks for is in the spec', () => {
  const spec = loadSpec();
  const specTypes = Object.keys(spec.components.schemas.Event.discriminator.mapping).sort();
  const offered = new Set();
  for (const { code } of Object.values(app.components.webhook)) {
    for (const p of code.params) for (const o of p.options || []) offered.add(o.value);
  }
  assert.deepStrictEqual([...offered].sort(), specTypes);
  for (const [id, { meta, code }] of Object.entries(app.components.module)) {
    if (meta.moduleType !== 'trigger') continue;
    for (const t of String(code.communication.qs.type).split(',')) assert.ok(specTypes.includes(t), `${id}: ${t} is not an event type of the spec`);
  }
});

// The spec operations every app offers under the same names (issue 17: Get
// Sync Health, Redeliver a Hook, Get and Update Alert Settings, Report a Sync
// Error), by operationId: a module of the app must send each.
test('modules send the sync health, redelivery and alert settings operations', () => {
  const spec = loadSpec();
  const mustCover = ['getSyncHealth', 'redeliverHook', 'getAlertSettings', 'putAlertSettings', 'reportIncident'];
  const sent = new Set();
  for (const { comm } of requests().flatMap(expandSelects)) {
    const p = matchPath(spec, comm.url);
    const op = p && spec.paths[p][(comm.method || 'GET').toLowerCase()];
    if (op && op.operationId) sent.add(op.operationId);
  }
  assert.deepStrictEqual(mustCover.filter((id) => !sent.has(id)), []);
});
