'use strict';

const assert = require('assert');
const { appTester, bundle, baseUrl, api, unique, App } = require('./_env');
const { startProxy } = require('./_proxy');
const { cursorStore } = require('./_rpc');

// makeCustomers creates n customers through the API, oldest first.
const makeCustomers = async (n) => {
  const made = [];
  for (let i = 0; i < n; i++) {
    const { body } = await api('POST', '/v1/customers', { name: unique('Trigger Co'), email: `${unique('t')}@example.ch` });
    made.push(body);
  }
  return made;
};

const seqsDescending = (items) => items.every((it, i) => i === 0 || items[i - 1].seq > it.seq);

describe('polling triggers', () => {
  let made;
  before(async () => {
    made = await makeCustomers(5);
  });

  it('seeds dedupe with every recent event, newest first, each with a unique event id', async () => {
    const items = await appTester(App.triggers.new_customer.operation.perform, bundle({ meta: { isPopulatingDedupe: true, limit: -1 } }));
    assert.ok(items.length >= 5, `got ${items.length} items`);
    assert.ok(items.length <= 100);
    assert.ok(seqsDescending(items), 'items are not newest first');
    assert.strictEqual(new Set(items.map((it) => it.id)).size, items.length, 'event ids repeat');
    // The five customers just made are the five newest, newest first.
    assert.deepStrictEqual(items.slice(0, 5).map((it) => it.customer_id), made.map((c) => c.id).reverse());
    const first = items[0];
    assert.match(first.id, /^evt_/);
    assert.strictEqual(first.event_type, 'customer.created');
    assert.strictEqual(first.name, made[4].name);
    assert.strictEqual(first.email, made[4].email);
    assert.strictEqual(first.customer_id, made[4].id);
  });

  it('loads at most 3 samples, the newest', async () => {
    const items = await appTester(App.triggers.new_customer.operation.perform, bundle({ meta: { isLoadingSample: true, limit: 100 } }));
    assert.strictEqual(items.length, 3);
    assert.deepStrictEqual(items.map((it) => it.customer_id), made.slice(2).map((c) => c.id).reverse());
  });

  it('honours meta.limit', async () => {
    const items = await appTester(App.triggers.new_customer.operation.perform, bundle({ meta: { limit: 2 } }));
    assert.deepStrictEqual(items.map((it) => it.customer_id), [made[4].id, made[3].id]);
  });

  it('fires an updated customer again for each change, with a new id, naming the changed fields and their previous values', async () => {
    const { body: c } = await api('PATCH', `/v1/customers/${made[0].id}`, { phone: '+41 44 000 00 01' });
    await api('PATCH', `/v1/customers/${c.id}`, { phone: '+41 44 000 00 02', address: { city: 'Winterthur', country: 'CH' } });
    const items = await appTester(App.triggers.updated_customer.operation.perform, bundle({ meta: { limit: 2 } }));
    assert.strictEqual(items.length, 2);
    assert.notStrictEqual(items[0].id, items[1].id);
    assert.strictEqual(items[0].customer_id, c.id);
    assert.strictEqual(items[1].customer_id, c.id);
    assert.strictEqual(items[0].phone, '+41 44 000 00 02');
    assert.strictEqual(items[1].phone, '+41 44 000 00 01');
    assert.deepStrictEqual(items[0].changed_fields, ['address.city', 'address.country', 'phone']);
    assert.deepStrictEqual(items[0].previous, { address: { city: null, country: null }, phone: '+41 44 000 00 01' });
    assert.strictEqual(items[0].changes_known, true);
    // The first change's previous version is the created customer.
    assert.deepStrictEqual(items[1].changed_fields, ['phone']);
    assert.strictEqual(items[1].previous.phone, null);
  });

  it('follows an invoice through finalized, payment received and paid', async () => {
    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Payer GmbH') });
    const { body: inv } = await api('POST', '/v1/invoices', {
      customer_id: cust.id,
      currency: 'CHF',
      items: [{ description: 'Work', quantity: 2, unit_price: '50.00', vat_rate: 8.1 }],
      finalize: true,
    });
    const { body: pay } = await api('POST', `/v1/invoices/${inv.id}/payments`, { amount: inv.amount_due, method: 'bank_transfer' });

    const perform = (key) => appTester(App.triggers[key].operation.perform, bundle({ meta: { limit: 1 } }));
    const [created] = await perform('new_invoice');
    const [finalized] = await perform('invoice_finalized');
    const [received] = await perform('payment_received');
    const [paid] = await perform('invoice_paid');
    assert.strictEqual(created.invoice_id, inv.id);
    assert.strictEqual(finalized.invoice_id, inv.id);
    assert.match(finalized.number, /^INV-/);
    assert.strictEqual(received.payment_id, pay.id);
    assert.strictEqual(received.invoice_id, inv.id);
    assert.strictEqual(received.amount, inv.amount_due);
    assert.strictEqual(paid.invoice_id, inv.id);
    assert.strictEqual(paid.status, 'paid');
    assert.strictEqual(paid.customer_id, cust.id);
    assert.strictEqual(new Set([created.id, finalized.id, received.id, paid.id]).size, 4, 'event ids are shared');
  });

  it('fires Invoice Cancelled when an open invoice is cancelled', async () => {
    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Storno AG') });
    const { body: inv } = await api('POST', '/v1/invoices', {
      customer_id: cust.id,
      currency: 'CHF',
      items: [{ description: 'Work', quantity: 1, unit_price: '80.00', vat_rate: 8.1 }],
      finalize: true,
    });
    await api('POST', `/v1/invoices/${inv.id}/cancel`, {});
    const [cancelled] = await appTester(App.triggers.invoice_cancelled.operation.perform, bundle({ meta: { limit: 1 } }));
    assert.strictEqual(cancelled.invoice_id, inv.id);
    assert.strictEqual(cancelled.status, 'cancelled');
    assert.strictEqual(cancelled.event_type, 'invoice.cancelled');
  });

  it('returns an empty array, not an error, when nothing happened yet', async () => {
    const items = await appTester(App.triggers.invoice_overdue.operation.perform, bundle({ meta: { limit: 3 } }));
    assert.ok(Array.isArray(items));
    for (const it of items) {
      assert.strictEqual(it.event_type, 'invoice.overdue');
    }
  });
});

describe('polls with If-None-Match', () => {
  let proxy;
  before(async () => {
    proxy = await startProxy(baseUrl);
  });
  after(() => proxy.server.close());

  it('sends the last ETag; a 304 answers the items kept with it, and a change reads the new page', async () => {
    const b = bundle({ authData: { baseUrl: proxy.url }, meta: { limit: 5 } });
    const poll = () => appTester(App.triggers.new_customer.operation.perform, b);
    const first = await poll();
    const again = await poll();
    const events = proxy.seen.filter((r) => r.url.startsWith('/v1/events'));
    assert.strictEqual(events.length, 2);
    assert.strictEqual(events[0].status, 200);
    assert.ok(events[0].headers.etag, 'billbridge sent no ETag');
    assert.strictEqual(events[1].ifNoneMatch, events[0].headers.etag);
    assert.strictEqual(events[1].status, 304);
    assert.deepStrictEqual(again, first);

    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Etag AG') });
    const third = await poll();
    assert.strictEqual(proxy.seen.filter((r) => r.url.startsWith('/v1/events'))[2].status, 200);
    assert.strictEqual(third[0].customer_id, cust.id);

    // The seeding poll never sends If-None-Match: it must see everything.
    await appTester(App.triggers.new_customer.operation.perform, bundle({ authData: { baseUrl: proxy.url }, meta: { isPopulatingDedupe: true, limit: 5 } }));
    assert.strictEqual(proxy.seen[proxy.seen.length - 1].ifNoneMatch, undefined);
  });
});

describe('dropdown triggers', () => {
  const store = cursorStore();
  before(async () => {
    await store.start();
    // Make sure there are more than two pages of 100.
    const { body: list } = await api('GET', '/v1/customers?limit=100');
    let n = list.data.length;
    if (list.has_more) {
      const { body: second } = await api('GET', `/v1/customers?limit=100&starting_after=${list.next_cursor}`);
      n += second.data.length;
    }
    for (; n <= 200; n++) {
      await api('POST', '/v1/customers', { name: unique('Dropdown SA') });
    }
  });
  after(() => store.stop());

  const customers = (page) => appTester(App.triggers.customer_list.operation.perform, bundle({ meta: { page } }));

  it('offers Load more (canPaginate) on both dropdowns', () => {
    assert.strictEqual(App.triggers.customer_list.operation.canPaginate, true);
    assert.strictEqual(App.triggers.invoice_list.operation.canPaginate, true);
  });

  it('pages through customers 100 at a time, each page starting from the cursor the page before stored', async () => {
    const first = await customers(0);
    assert.strictEqual(first.length, 100);
    assert.ok(first.every((c) => c.id && c.name));
    store.calls.length = 0;
    const second = await customers(1);
    assert.strictEqual(second.length, 100);
    assert.deepStrictEqual(store.calls, ['get_cursor', 'set_cursor'], 'page 1 did not start from the stored cursor');
    const third = await customers(2);
    assert.ok(third.length >= 1, 'no third page');
    const seen = new Set([...first, ...second].map((c) => c.id));
    assert.strictEqual(seen.size, 200, 'pages 1 and 2 overlap');
    assert.ok(third.every((c) => !seen.has(c.id)), 'page 3 repeats an earlier page');

    // Zapier asking for page 1 again gets page 1 again.
    assert.deepStrictEqual((await customers(1)).map((c) => c.id), second.map((c) => c.id));

    // Without a stored cursor (it expired) page 2 is found by walking.
    store.forget();
    assert.deepStrictEqual((await customers(2)).map((c) => c.id), third.map((c) => c.id));
  });

  it('labels invoices for the dropdown', async () => {
    const items = await appTester(App.triggers.invoice_list.operation.perform, bundle({ meta: { page: 0 } }));
    assert.ok(items.length > 0);
    assert.ok(items.every((inv) => inv.id && inv.label.includes(inv.currency)));
  });
});
