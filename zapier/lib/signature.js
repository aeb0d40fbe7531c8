'use strict';

// signature.js: checks that a REST-hook delivery comes from billbridge, per
// Standard Webhooks: the webhook-signature header holds one or more
// "v1,<base64 HMAC-SHA256>" of "<webhook-id>.<webhook-timestamp>.<raw body>",
// keyed by the hook's secret (base64 after "whsec_"), which billbridge
// returns once, when the Zap subscribes (bundle.subscribeData.secret).

const crypto = require('crypto');

// tolerance is how far a delivery's webhook-timestamp may be from now. Five
// minutes is the standard's default; Zapier may run a delivery's perform a
// little after it arrived, so this allows ten.
const toleranceSeconds = 10 * 60;

// header returns a request header by name, whatever its case and whether
// Zapier passed it as "Webhook-Id" or CGI-style as "Http-Webhook-Id".
const header = (headers, name) => {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers || {})) {
    const key = k.toLowerCase().replace(/_/g, '-');
    if (key === want || key === `http-${want}`) {
      return Array.isArray(v) ? v.join(' ') : String(v);
    }
  }
  return '';
};

// secretKey returns the HMAC key of a "whsec_<base64>" secret.
const secretKey = (secret) => Buffer.from(String(secret).replace(/^whsec_/, ''), 'base64');

// sign returns the v1 signature of a message, as billbridge sends it.
const sign = (secret, id, timestamp, body) =>
  crypto.createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');

// deliveryProblem returns why rawRequest is not a genuine, fresh delivery
// signed with secret, or '' when it is. nowSeconds is the current Unix time.
const deliveryProblem = (secret, rawRequest, nowSeconds = Math.floor(Date.now() / 1000)) => {
  if (!secret) {
    return 'this Zap has no signing secret from billbridge; turn the Zap off and on again to subscribe anew';
  }
  if (!rawRequest || typeof rawRequest.content !== 'string') {
    return 'the delivery came without its raw body, so its signature cannot be checked';
  }
  const headers = rawRequest.headers || {};
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    return 'the delivery lacks the webhook-id, webhook-timestamp or webhook-signature header';
  }
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    return `the delivery's timestamp ${timestamp} is more than ${toleranceSeconds / 60} minutes from now`;
  }
  const expected = Buffer.from(sign(secret, id, timestamp, rawRequest.content), 'base64');
  const match = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) {
      return false;
    }
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
  return match ? '' : "the delivery's signature does not match the hook's secret";
};

module.exports = { deliveryProblem, sign, header, toleranceSeconds };
