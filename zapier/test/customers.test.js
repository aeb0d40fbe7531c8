'use strict';

const assert = require('assert');
const { appTester, bundle, api, unique, App } = require('./_env');

const run = (key, inputData) => appTester(App.creates[key].operation.perform, bundle({ inputData }));

// failure runs a step that must fail and returns its error.
const failure = (promise) =>
  promise.then(
    () => assert.fail('the step did not fail'),
    (e) => e,
  );

describe('customer actions', () => {
  it('pairs Find or Create Customer with the search and the plain create, not the upsert', () => {
    const pair = App.searchOrCreates.find_customer;
    assert.strictEqual(pair.search, 'find_customer');
    assert.strictEqual(pair.create, 'create_customer');
    assert.ok(App.searches[pair.search], 'the paired search is missing');
    assert.ok(App.creates[pair.create], 'the paired create is missing');
    assert.match(App.creates.create_customer.display.label, /^Create /);
  });

  it('creates a customer; a replayed step answers the same customer and creates nothing', async () => {
    const input = { name: unique('Create AG'), email: `${unique('c')}@example.ch`, external_id: unique('crm'), city: 'Luzern', country: 'CH' };
    const first = await run('create_customer', input);
    assert.match(first.id, /^cus_/);
    assert.strictEqual(first.address.city, 'Luzern');
    assert.ok(Array.isArray(first.possible_duplicates));
    const again = await run('create_customer', { ...input });
    assert.strictEqual(again.id, first.id);
    const { body: list } = await api('GET', `/v1/customers?external_id=${encodeURIComponent(input.external_id)}`);
    assert.deepStrictEqual(list.data.map((c) => c.id), [first.id]);
  });

  it('stops (HaltedError) naming the existing customer when a natural key is taken', async () => {
    const email = `${unique('taken')}@example.ch`;
    const { body: existing } = await api('POST', '/v1/customers', { name: unique('Taken GmbH'), email });
    const err = await failure(run('create_customer', { name: unique('Other GmbH'), email }));
    assert.strictEqual(err.name, 'HaltedError', err.message);
    assert.ok(err.message.includes(existing.id), err.message);
    assert.match(err.message, /HTTP 409/);
  });

  it('finds the created customer by external id: the search half of the pair', async () => {
    const external = unique('crm');
    const made = await run('create_customer', { name: unique('Pair SA'), external_id: external });
    const found = await appTester(App.searches.find_customer.operation.perform, bundle({ inputData: { external_id: external } }));
    assert.deepStrictEqual(found.map((c) => c.id), [made.id]);
  });

  it('updates only the fields given (PATCH), keeps the others, and a repeat changes nothing', async () => {
    const { body: cust } = await api('POST', '/v1/customers', {
      name: unique('Update AG'),
      email: `${unique('u')}@example.ch`,
      phone: '+41 31 111 11 11',
      address: { street: 'Marktgasse', building_number: '1', postal_code: '3011', city: 'Bern', country: 'CH' },
    });
    const updated = await run('update_customer', { customer_id: cust.id, phone: '+41 31 222 22 22', city: 'Thun', postal_code: '3600' });
    assert.strictEqual(updated.id, cust.id);
    assert.strictEqual(updated.phone, '+41 31 222 22 22');
    assert.strictEqual(updated.email, cust.email);
    assert.strictEqual(updated.name, cust.name);
    assert.strictEqual(updated.address.city, 'Thun');
    // Back to the first phone, then again the second: each change applies
    // (no derived Idempotency-Key replays a stale answer).
    await run('update_customer', { customer_id: cust.id, phone: '+41 31 111 11 11' });
    const again = await run('update_customer', { customer_id: cust.id, phone: '+41 31 222 22 22' });
    assert.strictEqual(again.phone, '+41 31 222 22 22');
    const { body: stored } = await api('GET', `/v1/customers/${cust.id}`);
    assert.strictEqual(stored.phone, '+41 31 222 22 22');
  });

  it('an upsert back to an earlier value applies it (A → B → A)', async () => {
    const email = `${unique('aba')}@example.ch`;
    await run('upsert_customer', { name: 'ABA AG', email, city: 'Bern' });
    await run('upsert_customer', { name: 'ABA AG', email, city: 'Basel' });
    const third = await run('upsert_customer', { name: 'ABA AG', email, city: 'Bern' });
    assert.strictEqual(third.address.city, 'Bern');
  });

  it('stops (HaltedError) on an unknown customer, since a repeat would fail again', async () => {
    const err = await failure(run('update_customer', { customer_id: 'cus_01J9Z8Q4W6Y2XKQ3V5N7M8P0ZZ', phone: '+41 31 000 00 00' }));
    assert.strictEqual(err.name, 'HaltedError', err.message);
    assert.match(err.message, /not_found/);
  });
});
