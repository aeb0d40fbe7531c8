'use strict';

// app.js: reads the Make app from its local file layout (makecomapp.json and
// the files it names) into one object the checks can walk.

const fs = require('fs');
const path = require('path');
const vm = require('vm');

const appDir = path.resolve(__dirname, '..', '..');

const readJson = (rel) => JSON.parse(fs.readFileSync(path.join(appDir, rel), 'utf8'));

// loadFunction runs an IML function file in a fresh context and returns the
// function it declares under the component's name.
const loadFunction = (name, rel) => {
  const code = fs.readFileSync(path.join(appDir, rel), 'utf8');
  const sandbox = {};
  vm.runInNewContext(`${code}\n;this.${name} = ${name};`, sandbox, { filename: rel });
  if (typeof sandbox[name] !== 'function') {
    throw new Error(`${rel} does not declare function ${name}`);
  }
  return sandbox[name];
};

// loadApp returns {manifest, base, groups, components: {type: {id: {meta, code}}}, functions}.
const loadApp = () => {
  const manifest = readJson('makecomapp.json');
  const app = {
    manifest,
    base: readJson(manifest.generalCodeFiles.base),
    groups: readJson(manifest.generalCodeFiles.groups),
    components: {},
    functions: {},
  };
  for (const [type, byId] of Object.entries(manifest.components)) {
    app.components[type] = {};
    for (const [id, meta] of Object.entries(byId)) {
      const code = {};
      for (const [codeType, rel] of Object.entries(meta.codeFiles)) {
        if (rel === null) continue;
        if (type === 'function') {
          code[codeType] = fs.readFileSync(path.join(appDir, rel), 'utf8');
        } else {
          code[codeType] = readJson(rel);
        }
      }
      app.components[type][id] = { meta, code };
      if (type === 'function') {
        app.functions[id] = loadFunction(id, meta.codeFiles.code);
      }
    }
  }
  return app;
};

module.exports = { appDir, readJson, loadApp };
