'use strict';

const assert = require('assert');
const http = require('http');
const { appTester, bundle, baseUrl, api, unique, App } = require('./_env');

// appError parses the JSON message core wraps a z.errors.Error in.
const appError = (err) => {
  try {
    return JSON.parse(err.message);
  } catch (e) {
    return { message: err.message };
  }
};

describe('authentication and errors', () => {
  it('tests the connection with GET /v1/me and labels it with the account name', async () => {
    const me = await appTester(App.authentication.test, bundle());
    assert.match(me.account_id, /^acct_/);
    assert.strictEqual(me.name, process.env.BILLBRIDGE_ACCOUNT_NAME);
    assert.strictEqual(App.authentication.connectionLabel, '{{bundle.inputData.name}}');
  });

  for (const [what, url, fix] of [
    ['a trailing slash', (b) => `${b}/`, /ends with a slash/],
    ['a /v1 suffix', (b) => `${b}/v1`, /ends with \/v1/],
    ['plain http to another host', () => 'http://billing.example.ch', /must start with https:\/\//],
    ['something that is not an address', () => 'billing.example.ch', /not a web address/],
  ]) {
    it(`refuses a base URL with ${what}, saying what to change`, async () => {
      const err = await appTester(App.authentication.test, bundle({ authData: { baseUrl: url(baseUrl) } })).then(
        () => assert.fail('no error'),
        (e) => e,
      );
      const parsed = appError(err);
      assert.strictEqual(parsed.code, 'invalid_base_url');
      assert.match(parsed.message, fix);
    });
  }

  it('links the auth help text to where a key is made', () => {
    const field = App.authentication.fields.find((f) => f.key === 'apiKey');
    assert.match(field.helpText, /\[[^\]]+\]\(https:\/\/[^)]+\)/);
  });

  it('turns a wrong key into a readable 401 error', async () => {
    const err = await appTester(App.authentication.test, bundle({ authData: { apiKey: 'bb_wrong' } })).then(
      () => assert.fail('no error'),
      (e) => e,
    );
    const parsed = appError(err);
    assert.strictEqual(parsed.status, 401);
    assert.ok(parsed.message && !parsed.message.startsWith('{'), parsed.message);
  });

  it('stops a 422 with HaltedError naming the invalid fields: a repeat would fail again', async () => {
    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Invalid Input AG') });
    const err = await appTester(
      App.creates.create_invoice.operation.perform,
      bundle({ inputData: { customer_id: cust.id, currency: 'USD', items: [{ description: 'x', quantity: 1, unit_price: 1, vat_rate: 0 }] } }),
    ).then(
      () => assert.fail('no error'),
      (e) => e,
    );
    assert.strictEqual(err.name, 'HaltedError');
    assert.match(err.message, /\(.*currency/, err.message);
    assert.match(err.message, /validation_failed, HTTP 422/);
  });
});

describe('rate limits', () => {
  const limitedUrl = process.env.BILLBRIDGE_LIMITED_URL;
  const limitedKey = process.env.BILLBRIDGE_LIMITED_API_KEY;
  let proxy;
  let seen;

  // A pass-through proxy in front of the rate-limited billbridge records the
  // Retry-After of each 429, so the test can compare it with what Zapier got.
  before(async () => {
    if (!limitedUrl || !limitedKey) {
      throw new Error('BILLBRIDGE_LIMITED_URL and BILLBRIDGE_LIMITED_API_KEY are not set: run through scripts/test-zapier.sh');
    }
    seen = [];
    const target = new URL(limitedUrl);
    proxy = http.createServer((req, res) => {
      const up = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (upRes) => {
          if (upRes.statusCode === 429) {
            seen.push(upRes.headers['retry-after']);
          }
          res.writeHead(upRes.statusCode, upRes.headers);
          upRes.pipe(res);
        },
      );
      req.pipe(up);
    });
    await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  });
  after(() => proxy && proxy.close());

  it("turns a 429 into a ThrottledError that waits the server's Retry-After", async () => {
    const b = bundle({ authData: { baseUrl: `http://127.0.0.1:${proxy.address().port}`, apiKey: limitedKey } });
    let throttled = null;
    for (let i = 0; i < 50 && !throttled; i++) {
      await appTester(App.authentication.test, b).catch((e) => {
        throttled = e;
      });
    }
    assert.ok(throttled, 'no 429 within 50 requests');
    assert.strictEqual(throttled.name, 'ThrottledError');
    const { delay } = JSON.parse(throttled.message);
    assert.strictEqual(seen.length, 1);
    assert.ok(Number.isInteger(delay) && delay > 0, `delay ${delay}`);
    assert.strictEqual(delay, Number(seen[0]));
  });
});
