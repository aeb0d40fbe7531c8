'use strict';

const assert = require('assert');
const { appTester, bundle, api, unique, App, signed } = require('./_env');

const perform = (op, inputData, meta) => appTester(op.operation.perform, bundle({ inputData, meta }));

describe('duplicates', () => {
  let first;
  let second;
  before(async () => {
    const name = unique('Dupont');
    first = await perform(App.creates.upsert_customer, { name: `${name} GmbH`, email: `billing@${unique('d')}.ch`, postal_code: '8001', country: 'CH' });
    second = await perform(App.creates.upsert_customer, { name: `GmbH  ${name}`, postal_code: '8001', country: 'CH' });
  });

  it('upserts answer possible_duplicates: empty for the first, the first for the second', () => {
    assert.strictEqual(second.created, true);
    assert.notStrictEqual(second.id, first.id);
    assert.deepStrictEqual(first.possible_duplicates, []);
    assert.strictEqual(second.possible_duplicates.length, 1);
    assert.strictEqual(second.possible_duplicates[0].id, first.id);
    assert.ok(second.possible_duplicates[0].score >= 0.85);
    assert.ok(second.possible_duplicates[0].reasons.includes('same_name'));
  });

  it("finds one customer's possible duplicates and the account's", async () => {
    const pairIds = [first.id, second.id].sort();
    const mine = await perform(App.searches.find_duplicate_customers, { customer_id: second.id, min_score: '0.9' });
    assert.strictEqual(mine.length, 1);
    assert.strictEqual(mine[0].id, pairIds.join('~'));
    assert.deepStrictEqual([mine[0].a.id, mine[0].b.id], pairIds);
    assert.ok(mine[0].score >= 0.9);

    const all = await perform(App.searches.find_duplicate_customers, {});
    assert.ok(all.some((p) => p.id === pairIds.join('~')), 'the pair is not among the account-wide duplicates');
    assert.ok(all.every((p, i) => i === 0 || all[i - 1].score >= p.score), 'not highest score first');

    const none = await perform(App.searches.find_duplicate_customers, { customer_id: second.id, min_score: 1 });
    assert.deepStrictEqual(none, []);
  });

  it('merges the duplicate with its invoice, answers the same on a replay, and fires Customer Merged', async () => {
    await api('POST', '/v1/invoices', {
      customer_id: second.id,
      currency: 'CHF',
      items: [{ description: 'Work', quantity: 1, unit_price: '10.00', vat_rate: 8.1 }],
    });
    const input = { primary_id: first.id, duplicate_id: second.id };
    const merged = await perform(App.creates.merge_customers, input);
    assert.strictEqual(merged.id, first.id);
    assert.strictEqual(merged.merged_id, second.id);
    assert.deepStrictEqual(merged.moved, { invoices: 1, payments: 0 });
    assert.deepStrictEqual(await perform(App.creates.merge_customers, { ...input }), merged);
    const { body: read } = await api('GET', `/v1/customers/${second.id}`);
    assert.strictEqual(read.id, first.id);

    const [item] = await perform(App.triggers.customer_merged, {}, { limit: 1 });
    assert.strictEqual(item.event_type, 'customer.merged');
    assert.match(item.id, /^evt_/);
    assert.strictEqual(item.primary_id, first.id);
    assert.strictEqual(item.merged_id, second.id);
    assert.deepStrictEqual(item.moved, { invoices: 1, payments: 0 });

    // The instant trigger's delivery of the same event gives the same item.
    const { body: feed } = await api('GET', '/v1/events?type=customer.merged&order=desc&limit=1');
    const pushed = await appTester(App.triggers.customer_merged_instant.operation.perform, bundle(signed(feed.data[0])));
    assert.deepStrictEqual(pushed, [item]);
  });

  it('refuses to merge a customer into itself, naming the field', async () => {
    await assert.rejects(perform(App.creates.merge_customers, { primary_id: first.id, duplicate_id: first.id }), /duplicate_id/);
  });
});
