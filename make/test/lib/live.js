'use strict';

// live.js: the billbridge that scripts/test-make.sh started, and a plain
// client for arranging and checking state around the module runs.

const crypto = require('crypto');

const need = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the live checks through scripts/test-make.sh`);
  return v;
};

const env = () => ({
  url: need('BILLBRIDGE_URL'),
  apiKey: need('BILLBRIDGE_API_KEY'),
  accountName: need('BILLBRIDGE_ACCOUNT_NAME'),
  limitedUrl: need('BILLBRIDGE_LIMITED_URL'),
  limitedKey: need('BILLBRIDGE_LIMITED_API_KEY'),
});

const client = (url, apiKey) => async (method, path, body) => {
  const res = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
};

const unique = (prefix) => `${prefix}-${crypto.randomBytes(6).toString('hex')}`;

module.exports = { env, client, unique };
