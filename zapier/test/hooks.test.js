'use strict';

const assert = require('assert');
const http = require('http');
const { appTester, bundle, api, unique, App } = require('./_env');
const { deliveryProblem, sign, header } = require('../lib/signature');

// receiver is a local hook target that remembers every delivery, with its
// headers and its raw body.
const startReceiver = () =>
  new Promise((resolve) => {
    const received = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, raw: body, body: JSON.parse(body) });
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

// rawRequest renders a delivery the way Zapier hands it to perform: headers
// CGI-style ("Http-Webhook-Signature") and the body as received.
const rawRequest = (delivery, change = {}) => ({
  method: 'POST',
  headers: Object.fromEntries(
    Object.entries({ ...delivery.headers, ...(change.headers || {}) }).map(([k, v]) => [
      `Http-${k.replace(/(^|-)(\w)/g, (m, dash, c) => dash + c.toUpperCase())}`,
      v,
    ]),
  ),
  content: change.content === undefined ? delivery.raw : change.content,
});

const halted = (promise) =>
  promise.then(
    () => assert.fail('the delivery was accepted'),
    (e) => {
      assert.strictEqual(e.name, 'HaltedError', e.message);
      return e;
    },
  );

describe('REST hook triggers', () => {
  let receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.server.close());

  it('subscribes, receives a signed delivery, flattens it like the polling trigger, and unsubscribes', async () => {
    const op = App.triggers.new_customer_instant.operation;
    const subscribeData = await appTester(op.performSubscribe, bundle({ targetUrl: receiver.url }));
    assert.match(subscribeData.id, /^hook_/);
    assert.match(subscribeData.secret, /^whsec_/, 'subscribe must keep the signing secret for perform');
    assert.deepStrictEqual(subscribeData.events, ['customer.created']);

    const { body: listed } = await api('GET', `/v1/hooks?target_url=${encodeURIComponent(receiver.url)}`);
    assert.deepStrictEqual(listed.data.map((h) => h.id), [subscribeData.id]);

    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Hooked AG') });
    // Another event type must not reach this subscription.
    await api('PATCH', `/v1/customers/${cust.id}`, { phone: '+41 31 000 00 00' });
    const delivery = await waitFor(() => receiver.received.find((d) => d.body.data && d.body.data.id === cust.id), 'the delivery');

    const items = await appTester(op.perform, bundle({ rawRequest: rawRequest(delivery), cleanedRequest: delivery.body, subscribeData }));
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

  it('says what changed in an instant Updated Customer, from the previous version in the feed', async () => {
    const op = App.triggers.updated_customer_instant.operation;
    const subscribeData = await appTester(op.performSubscribe, bundle({ targetUrl: `${receiver.url}/updated` }));
    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Changing AG'), email: `${unique('old')}@example.ch` });
    const email = `${unique('new')}@example.ch`;
    await api('PATCH', `/v1/customers/${cust.id}`, { email });
    const delivery = await waitFor(() => receiver.received.find((d) => d.body.type === 'customer.updated' && d.body.data.id === cust.id), 'the update delivery');
    const [item] = await appTester(op.perform, bundle({ rawRequest: rawRequest(delivery), subscribeData }));
    assert.strictEqual(item.customer_id, cust.id);
    assert.deepStrictEqual(item.changed_fields, ['email']);
    assert.strictEqual(item.previous.email, cust.email);
    assert.strictEqual(item.email, email);
    await appTester(op.performUnsubscribe, bundle({ subscribeData }));
  });

  describe('a forged delivery is refused', () => {
    const op = App.triggers.invoice_paid_instant.operation;
    let subscribeData;
    let delivery;
    before(async () => {
      subscribeData = await appTester(op.performSubscribe, bundle({ targetUrl: `${receiver.url}/paid` }));
      const { body: cust } = await api('POST', '/v1/customers', { name: unique('Forged AG') });
      const { body: inv } = await api('POST', '/v1/invoices', {
        customer_id: cust.id,
        currency: 'CHF',
        items: [{ description: 'Work', quantity: 1, unit_price: '100.00', vat_rate: 8.1 }],
        finalize: true,
      });
      await api('POST', `/v1/invoices/${inv.id}/payments`, { amount: inv.amount_due });
      delivery = await waitFor(() => receiver.received.find((d) => d.body.type === 'invoice.paid' && d.body.data.id === inv.id), 'the paid delivery');
    });
    after(() => appTester(op.performUnsubscribe, bundle({ subscribeData })));

    const perform = (raw, data = subscribeData) => appTester(op.perform, bundle({ rawRequest: raw, cleanedRequest: JSON.parse(raw.content || '{}'), subscribeData: data }));

    it('accepts the genuine delivery', async () => {
      const items = await perform(rawRequest(delivery));
      assert.strictEqual(items.length, 1);
      assert.strictEqual(items[0].status, 'paid');
    });

    it('refuses a body changed after signing', async () => {
      const forged = delivery.raw.replace(/"total":"?[0-9.]+"?/, '"total":"1.00"');
      assert.notStrictEqual(forged, delivery.raw);
      const err = await halted(perform(rawRequest(delivery, { content: forged })));
      assert.match(err.message, /signature does not match/);
    });

    it("refuses a delivery signed with another secret (another hook's)", async () => {
      const other = 'whsec_' + Buffer.from('not the secret of this hook 1234').toString('base64');
      const ts = delivery.headers['webhook-timestamp'];
      const sig = `v1,${sign(other, delivery.headers['webhook-id'], ts, delivery.raw)}`;
      await halted(perform(rawRequest(delivery, { headers: { 'webhook-signature': sig } })));
    });

    it('refuses a replayed delivery older than the tolerance, even correctly signed', async () => {
      const old = String(Number(delivery.headers['webhook-timestamp']) - 3600);
      const sig = `v1,${sign(subscribeData.secret, delivery.headers['webhook-id'], old, delivery.raw)}`;
      const err = await halted(perform(rawRequest(delivery, { headers: { 'webhook-timestamp': old, 'webhook-signature': sig } })));
      assert.match(err.message, /minutes from now/);
    });

    it('refuses a delivery without signature headers, or when the Zap has no secret', async () => {
      const bare = { method: 'POST', headers: {}, content: delivery.raw };
      await halted(perform(bare));
      await halted(perform(rawRequest(delivery), { id: subscribeData.id }));
    });
  });

  it('reads the signature headers whatever their case or Http- prefix, and accepts any one valid v1 signature', () => {
    const secret = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
    const now = 1790000000;
    const body = '{"id":"evt_1","type":"invoice.paid"}';
    const sig = sign(secret, 'evt_1', String(now), body);
    for (const headers of [
      { 'webhook-id': 'evt_1', 'webhook-timestamp': String(now), 'webhook-signature': `v1,${sig}` },
      { 'Http-Webhook-Id': 'evt_1', 'Http-Webhook-Timestamp': String(now), 'Http-Webhook-Signature': `v1,bm9wZQ== v1,${sig}` },
    ]) {
      assert.strictEqual(deliveryProblem(secret, { headers, content: body }, now), '');
    }
    assert.strictEqual(header({ HTTP_WEBHOOK_ID: 'x' }, 'webhook-id'), 'x');
    assert.match(deliveryProblem(secret, { headers: { 'webhook-id': 'evt_1', 'webhook-timestamp': String(now), 'webhook-signature': `v2,${sig}` }, content: body }, now), /does not match/);
  });
});
