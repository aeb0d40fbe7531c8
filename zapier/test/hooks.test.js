'use strict';

const assert = require('assert');
const http = require('http');
const { appTester, bundle, api, unique, App } = require('./_env');

// receiver is a local hook target that remembers every delivery.
const startReceiver = () =>
  new Promise((resolve) => {
    const received = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) });
        res.writeHead(200).end();
      });
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, received, url: `http://127.0.0.1:${server.address().port}/zap/hook` }));
  });

// waitFor polls until check returns a value; deliveries are asynchronous.
const waitFor = async (check, what) => {
  for (let i = 0; i < 300; i++) {
    const v = check();
    if (v) {
      return v;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
};

describe('REST hook triggers', () => {
  let receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.server.close());

  it('subscribes, receives a delivery, flattens it like the polling trigger, and unsubscribes', async () => {
    const op = App.triggers.new_customer_instant.operation;
    const subscribeData = await appTester(op.performSubscribe, bundle({ targetUrl: receiver.url }));
    assert.match(subscribeData.id, /^hook_/);
    assert.deepStrictEqual(subscribeData.events, ['customer.created']);

    const { body: listed } = await api('GET', `/v1/hooks?target_url=${encodeURIComponent(receiver.url)}`);
    assert.deepStrictEqual(listed.data.map((h) => h.id), [subscribeData.id]);

    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Hooked AG') });
    // Another event type must not reach this subscription.
    await api('PATCH', `/v1/customers/${cust.id}`, { phone: '+41 31 000 00 00' });
    const delivery = await waitFor(() => receiver.received.find((d) => d.body.data && d.body.data.id === cust.id), 'the delivery');

    const items = await appTester(op.perform, bundle({ cleanedRequest: delivery.body, subscribeData }));
    assert.strictEqual(items.length, 1);
    assert.strictEqual(items[0].id, delivery.body.id);
    assert.strictEqual(items[0].id, delivery.headers['webhook-id']);
    assert.strictEqual(items[0].customer_id, cust.id);
    assert.strictEqual(items[0].event_type, 'customer.created');

    // performList gives the same shape as the polling trigger.
    const [polled] = await appTester(App.triggers.new_customer.operation.perform, bundle({ meta: { limit: 1 } }));
    const listedItems = await appTester(op.performList, bundle({ meta: { limit: 1 } }));
    assert.deepStrictEqual(listedItems, [polled]);
    assert.deepStrictEqual(items, [polled]);

    await appTester(op.performUnsubscribe, bundle({ subscribeData }));
    const { body: after } = await api('GET', `/v1/hooks?target_url=${encodeURIComponent(receiver.url)}`);
    assert.deepStrictEqual(after.data, []);
    assert.ok(receiver.received.every((d) => d.body.type === 'customer.created'), 'a customer.updated event was delivered');
    // Unsubscribing twice (Zapier retries) is harmless.
    await appTester(op.performUnsubscribe, bundle({ subscribeData }));
  });
});
