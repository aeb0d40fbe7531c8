'use strict';

// structure.test.js: every component file of the Make app is well-formed.
// (1) Each file validates against the JSON Schema the vscode-apps-sdk
// extension (2.8.0) uses for that file kind; the schemas are vendored in
// test/schemas. (2) Our own rules the schemas cannot express: files and
// references resolve, triggers are type id / order desc with an epoch,
// outputs, interfaces and samples agree, POSTs carry a body.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Ajv = require('ajv');
const { appDir, loadApp } = require('./lib/app');
const { expressions } = require('./lib/iml');

const schemaDir = path.join(__dirname, 'schemas');
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false });
for (const f of fs.readdirSync(schemaDir).filter((f) => f.endsWith('.json'))) {
  const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8'));
  delete schema.$schema;
  ajv.addSchema(schema, f);
}

const schemaFor = {
  communication: 'api.json',
  attach: 'api.json',
  detach: 'api.json',
  update: 'api.json',
  params: 'parameters.json',
  staticParams: 'parameters.json',
  mappableParams: 'parameters.json',
  interface: 'parameters.json',
  samples: 'samples.json',
  epoch: 'epoch.json',
  common: 'common.json',
};

const app = loadApp();

const validate = (schemaId, data, where) => {
  const ok = ajv.validate(schemaId, data);
  assert.ok(ok, `${where} does not match ${schemaId}: ${ajv.errorsText(ajv.errors, { separator: '\n  ' })}`);
};

test('makecomapp.json, base and groups match their schemas', () => {
  validate('makecomapp.schema.json', app.manifest, 'makecomapp.json');
  validate('base.json', app.base, 'base');
  validate('groups.json', app.groups, 'groups');
});

test('every component file matches the schema for its kind', () => {
  let n = 0;
  for (const [type, byId] of Object.entries(app.components)) {
    for (const [id, { code }] of Object.entries(byId)) {
      for (const [codeType, content] of Object.entries(code)) {
        if (type === 'function') continue;
        const schemaId = schemaFor[codeType];
        assert.ok(schemaId, `${type} ${id}: no schema for ${codeType}`);
        validate(schemaId, content, `${type} ${id} ${codeType}`);
        n++;
      }
    }
  }
  assert.ok(n > 100, `only ${n} files validated`);
});

test('the schemas reject what they should (the validator is not a no-op)', () => {
  assert.strictEqual(ajv.validate('api.json', { url: '/x', method: 'POST' }), false, 'POST without body passed');
  assert.strictEqual(ajv.validate('api.json', { response: { trigger: { type: 'id' } } }), false, 'trigger without order passed');
  assert.strictEqual(ajv.validate('parameters.json', [{ name: 'x', type: 'nonsense' }]), false, 'bad parameter type passed');
  assert.strictEqual(ajv.validate('epoch.json', { url: '/x', response: { output: { label: 'x' } } }), false, 'epoch without date passed');
});

test('every file on disk is named in makecomapp.json and every named file exists', () => {
  const named = new Set([...Object.values(app.manifest.generalCodeFiles)].filter(Boolean));
  for (const byId of Object.values(app.manifest.components)) {
    for (const meta of Object.values(byId)) {
      for (const rel of Object.values(meta.codeFiles)) if (rel) named.add(rel);
    }
  }
  for (const rel of named) assert.ok(fs.existsSync(path.join(appDir, rel)), `${rel} is missing`);
  const walk = (dir) =>
    fs.readdirSync(path.join(appDir, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
    );
  for (const dir of ['connections', 'modules', 'rpcs', 'webhooks', 'general']) {
    for (const rel of walk(dir)) assert.ok(named.has(rel), `${rel} is not in makecomapp.json`);
  }
});

test('references between components resolve', () => {
  const { connection, rpc, webhook, module: modules } = app.components;
  // Built-in IML functions only: custom IML functions are off by default
  // on Make, so a module calling one would fail for most users.
  const builtin = new Set(['ifempty', 'if', 'length', 'join', 'map', 'sha256', 'formatDate', 'replace', 'toCollection', 'get']);
  for (const type of ['module', 'rpc', 'webhook']) {
    for (const [id, { meta, code }] of Object.entries(app.components[type])) {
      assert.ok(connection[meta.connection], `${type} ${id}: unknown connection ${meta.connection}`);
      const json = JSON.stringify(code);
      for (const m of json.matchAll(/rpc:\/\/(\w+)/g)) assert.ok(rpc[m[1]], `${type} ${id}: unknown rpc ${m[1]}`);
      for (const expr of expressions(code)) {
        for (const m of expr.matchAll(/([A-Za-z_]\w*)\s*\(/g)) {
          assert.ok(builtin.has(m[1]), `${type} ${id}: ${m[1]} is not a built-in IML function`);
        }
      }
    }
  }
  for (const [id, { meta }] of Object.entries(modules)) {
    if (meta.moduleType === 'instant_trigger') assert.ok(webhook[meta.webhook], `module ${id}: unknown webhook ${meta.webhook}`);
  }
  const grouped = app.groups.flatMap((g) => g.modules).sort();
  assert.deepStrictEqual(grouped, Object.keys(modules).sort(), 'groups do not list every module once');
});

test('polling triggers are type id, order desc, with an epoch of at most 300', () => {
  const triggers = Object.entries(app.components.module).filter(([, c]) => c.meta.moduleType === 'trigger');
  assert.strictEqual(triggers.length, 11);
  for (const [id, { code }] of triggers) {
    const t = code.communication.response.trigger;
    assert.deepStrictEqual([t.type, t.order], ['id', 'desc'], id);
    assert.ok(t.id && t.date, `${id}: trigger needs id and date`);
    assert.strictEqual(code.communication.qs.order, 'desc', `${id}: the request must ask for newest first`);
    assert.ok(code.epoch, `${id}: no epoch`);
    assert.ok(Number(code.epoch.response.limit) <= 300, `${id}: epoch limit above 300`);
    assert.strictEqual(code.epoch.qs.type, code.communication.qs.type, `${id}: epoch lists another event type`);
  }
});

test('outputs, interfaces and samples agree', () => {
  for (const [id, { meta, code }] of Object.entries(app.components.module)) {
    const names = code.interface.map((f) => f.name);
    assert.strictEqual(new Set(names).size, names.length, `${id}: interface repeats a name`);
    for (const k of Object.keys(code.samples)) assert.ok(names.includes(k), `${id}: sample field ${k} is not in the interface`);
    const output = meta.moduleType === 'instant_trigger'
      ? app.components.webhook[meta.webhook].code.communication.output
      : code.communication.response && code.communication.response.output;
    if (output && typeof output === 'object') {
      assert.deepStrictEqual(Object.keys(output).sort(), [...names].sort(), `${id}: output and interface differ`);
    }
    if (meta.moduleType === 'action') {
      assert.strictEqual(code.communication.response.limit, undefined, `${id}: an action has no limit`);
      // PUT sets a state (a dunning pause), PATCH changes given fields and
      // the upsert matches by natural keys: each is idempotent by itself, and
      // a derived key would replay a stale answer after a change back (A → B → A).
      const selfIdempotent = ['GET', 'PUT', 'PATCH'].includes(code.communication.method || 'GET') || id === 'upsertCustomer';
      const keyed = (code.communication.headers || {})['Idempotency-Key'];
      assert.ok(selfIdempotent || keyed, `${id}: a write without Idempotency-Key`);
      if (selfIdempotent && id !== 'upsertCustomer') assert.ok(!keyed || code.communication.method === 'GET', `${id}: a derived key on a self-idempotent write`);
    }
    if (meta.moduleType === 'search') {
      assert.ok(code.communication.response.limit, `${id}: a search needs a limit`);
      assert.ok(code.communication.pagination, `${id}: a search needs pagination`);
    }
  }
});

test('base maps 401, 429 and 5xx to the right error types', () => {
  const e = app.base.response.error;
  assert.strictEqual(e['401'].type, 'InvalidAccessTokenError');
  assert.strictEqual(e['429'].type, 'RateLimitError');
  for (const s of ['500', '502', '503', '504']) assert.strictEqual(e[s].type, 'ConnectionError', s);
  assert.ok(app.base.log.sanitize.includes('request.headers.authorization'));
});

test('the app declares no custom IML functions', () => {
  assert.deepStrictEqual(app.manifest.components.function, {});
  assert.ok(!fs.existsSync(path.join(appDir, 'functions')), 'functions/ is still there');
});

test('labels: no "(instant)" twins, no raw event codes, descriptions say what happens', () => {
  const labels = Object.values(app.components.module).map((c) => c.meta.label);
  assert.strictEqual(new Set(labels).size, labels.length, 'two modules share a label');
  for (const l of labels) assert.doesNotMatch(l, /\(instant\)/i);
  for (const [id, { code }] of Object.entries(app.components.webhook)) {
    for (const p of code.params) for (const o of p.options || []) assert.doesNotMatch(o.label, /^[a-z_]+\.[a-z_]+$/, `webhook ${id}: option label ${o.label}`);
  }
});

test('dates are date parameters sent through formatDate', () => {
  let n = 0;
  for (const [id, { code }] of Object.entries(app.components.module)) {
    for (const p of code.mappableParams || []) {
      if (!/(^|_)(date|at|on|since|of|from|to)$/.test(p.name) || ['customer_id', 'invoice_id'].includes(p.name)) continue;
      assert.strictEqual(p.type, 'date', `${id}: ${p.name} is ${p.type}, not date`);
      const json = JSON.stringify(code.communication);
      assert.ok(json.includes(`formatDate(parameters.${p.name};`), `${id}: ${p.name} is not sent through formatDate`);
      n++;
    }
  }
  assert.ok(n >= 8, `only ${n} date parameters found`);
});

test('update modules start every select in edit mode and require only the id', () => {
  const updates = Object.entries(app.components.module).filter(([, c]) => (c.code.communication || {}).method === 'PATCH');
  assert.ok(updates.length >= 1);
  for (const [id, { code }] of updates) {
    const [first, ...rest] = code.mappableParams;
    assert.strictEqual(first.required, true, `${id}: the first field must be the record to update`);
    for (const p of rest) {
      assert.ok(!p.required, `${id}: ${p.name} is required`);
      if (p.type === 'select') assert.strictEqual(p.mode, 'edit', `${id}: select ${p.name} is not in edit mode`);
      assert.strictEqual(p.default, undefined, `${id}: ${p.name} has a default, which would overwrite the record`);
    }
  }
});

test('one universal module, labelled as Make asks, whose URL stays relative to the base', () => {
  const universal = Object.entries(app.components.module).filter(([, c]) => c.meta.moduleType === 'universal');
  assert.strictEqual(universal.length, 1);
  const [[, { meta, code }]] = universal;
  assert.strictEqual(meta.label, 'Make an API Call');
  assert.strictEqual(meta.description, 'Performs an arbitrary authorized API call.');
  assert.match(code.communication.url, /^\//, 'the URL must start with / so it always goes to the connection');
});

test('RPCs and epochs stay within Make\'s limits: at most 300 records in at most 3 calls', () => {
  const lists = [
    ...Object.entries(app.components.rpc).map(([id, c]) => [`rpc ${id}`, c.code.communication]),
    ...Object.entries(app.components.module).filter(([, c]) => c.code.epoch).map(([id, c]) => [`epoch ${id}`, c.code.epoch]),
  ];
  assert.ok(lists.length >= 13);
  for (const [where, comm] of lists) {
    const limit = Number(comm.response.limit);
    const page = Number((comm.qs || {}).limit);
    assert.ok(limit > 0 && limit <= 300, `${where}: limit ${comm.response.limit}`);
    assert.ok(page > 0 && Math.ceil(limit / page) <= 3, `${where}: ${limit} records at ${page} a page take more than 3 calls`);
  }
});
