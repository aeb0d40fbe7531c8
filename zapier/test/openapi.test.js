'use strict';

// openapi.test.js: the app's event types and operations are billbridge's,
// as openapi/openapi.json (or BILLBRIDGE_OPENAPI) states them:
//   - every event type of the spec (the Event discriminator) has a polling
//     trigger and an instant twin, and every trigger's type is in the spec;
//   - every /v1 path written in the app's sources is a path of the spec;
//   - after the whole suite, every request the app made (method and path,
//     recorded in test/_env.js) is an operation of the spec.

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { App, requests } = require('./_env');

const root = path.resolve(__dirname, '..');
const specPath = process.env.BILLBRIDGE_OPENAPI || path.resolve(root, '..', 'openapi', 'openapi.json');
const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));

// operations maps each spec path, as a regexp over concrete paths, to its methods.
const operations = Object.entries(spec.paths).map(([p, item]) => ({
  path: p,
  re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  methods: Object.keys(item).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => m.toUpperCase()),
}));
const operationOf = (p) => operations.find((o) => o.re.test(p));

// templateMatches reports whether a path written in the sources, whose
// ${…} parts may stand for a path parameter or a literal segment
// (/v1/imports/${kind}), names a path of the spec.
const templateMatches = (template) => {
  const segs = template.split('/');
  return operations.some((o) => {
    const specSegs = o.path.split('/');
    if (specSegs.length !== segs.length) return false;
    return segs.every((seg, i) => {
      if (/^\{[^}]+\}$/.test(specSegs[i])) return true;
      const re = new RegExp(`^${seg.split(/\$\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
      return re.test(specSegs[i]);
    });
  });
};

const specEventTypes = Object.keys(spec.components.schemas.Event.discriminator.mapping).sort();

// sourceFiles lists the app's own .js files (not tests, not node_modules).
const sourceFiles = (dir = root) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (['node_modules', 'test', '.git'].includes(d.name)) return [];
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.name.endsWith('.js') ? [full] : [];
  });

describe('the app against openapi.json', () => {
  it('has a polling trigger and an instant twin for every event type of the spec, and no other', () => {
    const polling = Object.values(App.triggers).filter((t) => t.operation.type === 'polling' && !t.display.hidden);
    const types = require('../triggers/events')
      .filter((t) => t.operation.type === 'polling')
      .map((t) => t.operation.sample.event_type)
      .sort();
    assert.deepStrictEqual(types, specEventTypes);
    assert.strictEqual(polling.length, specEventTypes.length);
    for (const t of polling) {
      assert.ok(App.triggers[`${t.key}_instant`], `${t.key} has no instant twin`);
      assert.match(t.display.description, /^Triggers when /, `${t.key}: ${t.display.description}`);
      assert.match(App.triggers[`${t.key}_instant`].display.description, /^Triggers when /);
    }
  });

  it('writes only /v1 paths the spec has', () => {
    const found = [];
    for (const file of sourceFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/[`'"](\/v1\/[^`'"?]*)[`'"?]/g)) {
        found.push(m[1]);
        assert.ok(templateMatches(m[1]), `${path.relative(root, file)}: ${m[1]} is not a path of openapi.json`);
      }
    }
    assert.ok(found.length > 20, `only ${found.length} paths found in the sources`);
  });
});

// A root hook: it runs once every test file has run.
after('every request the suite made is an operation of openapi.json', () => {
  assert.ok(requests.length > 50, `only ${requests.length} requests were recorded`);
  const bad = requests.filter((r) => {
    const op = operationOf(r.path);
    return !op || !op.methods.includes(r.method);
  });
  assert.deepStrictEqual([...new Set(bad.map((r) => `${r.method} ${r.path}`))], []);
});

// The spec operations every app offers under the same names (issue 17: Get
// Sync Health, Redeliver Hook, Get and Update Alert Settings, Report Sync
// Error), by operationId: the suite must have reached each.
const mustCover = ['getSyncHealth', 'redeliverHook', 'getAlertSettings', 'putAlertSettings', 'reportIncident'];

after('the suite reached the sync health, redelivery and alert settings operations', () => {
  const reached = new Set();
  for (const r of requests) {
    const op = operationOf(r.path);
    const item = op && spec.paths[op.path][r.method.toLowerCase()];
    if (item && item.operationId) reached.add(item.operationId);
  }
  assert.deepStrictEqual(
    mustCover.filter((id) => !reached.has(id)),
    [],
  );
});
