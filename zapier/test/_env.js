'use strict';

// _env.js: what every test needs: the billbridge that scripts/test-zapier.sh
// started, an app tester, a bundle for it and a plain API client for setup.

const crypto = require('crypto');
const zapier = require('zapier-platform-core');
const App = require('../index');

const need = (name) => {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run the tests through scripts/test-zapier.sh`);
  }
  return v;
};

const baseUrl = need('BILLBRIDGE_URL');
const apiKey = need('BILLBRIDGE_API_KEY');

const appTester = zapier.createAppTester(App);

// bundle returns an app tester bundle authenticated against the test server.
const bundle = (extra = {}) => ({
  authData: { baseUrl, apiKey, ...(extra.authData || {}) },
  inputData: extra.inputData || {},
  meta: extra.meta || {},
  ...Object.fromEntries(Object.entries(extra).filter(([k]) => !['authData', 'inputData', 'meta'].includes(k))),
});

// api calls billbridge directly, for arranging and checking state.
const api = async (method, path, body, headers = {}) => {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (err) {
    json = null;
  }
  if (res.status >= 400) {
    throw new Error(`${method} ${path}: ${res.status} ${text}`);
  }
  return { status: res.status, headers: res.headers, body: json };
};

// unique returns a string no other test run has used.
const unique = (prefix) => `${prefix}-${crypto.randomBytes(6).toString('hex')}`;

module.exports = { baseUrl, apiKey, appTester, bundle, api, unique, App };
