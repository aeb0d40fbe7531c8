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

// requests records the method and path of every billbridge request the
// app makes in this test run, for test/openapi.test.js.
const requests = [];
App.beforeRequest = [
  (request) => {
    if (request.url && request.url.startsWith('/')) {
      requests.push({ method: (request.method || 'GET').toUpperCase(), path: request.url.split('?')[0] });
    }
    return request;
  },
  ...App.beforeRequest,
];

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

// signed returns the bundle parts of a REST-hook delivery of event signed
// as billbridge signs it, with a secret of the test's own: rawRequest (the
// body as sent, CGI-style headers) and the subscribeData holding the secret.
const signed = (event) => {
  const { sign } = require('../lib/signature');
  const secret = `whsec_${crypto.randomBytes(24).toString('base64')}`;
  const content = JSON.stringify(event);
  const ts = String(Math.floor(Date.now() / 1000));
  return {
    subscribeData: { id: 'hook_test', secret },
    rawRequest: {
      method: 'POST',
      headers: { 'Http-Webhook-Id': event.id, 'Http-Webhook-Timestamp': ts, 'Http-Webhook-Signature': `v1,${sign(secret, event.id, ts, content)}` },
      content,
    },
  };
};

// unique returns a string no other test run has used.
const unique = (prefix) => `${prefix}-${crypto.randomBytes(6).toString('hex')}`;

module.exports = { baseUrl, apiKey, appTester, bundle, api, unique, signed, requests, App };
