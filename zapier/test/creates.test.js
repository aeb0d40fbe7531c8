'use strict';

const assert = require('assert');
const { appTester, bundle, api, unique, App } = require('./_env');
const { idempotencyKey } = require('../lib/http');

const run = (key, inputData) => appTester(App.creates[key].operation.perform, bundle({ inputData }));

describe('creates', () => {
  it('derives the same idempotency key from the same business data, whatever the field order', () => {
    const a = idempotencyKey('create_invoice', { customer_id: 'c1', items: [{ quantity: 1, description: 'x' }] });
    const b = idempotencyKey('create_invoice', { items: [{ description: 'x', quantity: 1 }], customer_id: 'c1' });
    const c = idempotencyKey('create_invoice', { customer_id: 'c2', items: [{ quantity: 1, description: 'x' }] });
    const d = idempotencyKey('record_payment', { customer_id: 'c1', items: [{ quantity: 1, description: 'x' }] });
    assert.strictEqual(a, b);
    assert.notStrictEqual(a, c);
    assert.notStrictEqual(a, d);
    assert.match(a, /^[A-Za-z0-9_.:-]{1,255}$/);
    assert.strictEqual(idempotencyKey('create_invoice', { idempotency_key: ' deal-7 ', customer_id: 'c1' }), 'deal-7');
  });

  it('upserts a customer and matches it by email the second time', async () => {
    const email = `${unique('up')}@example.ch`;
    const first = await run('upsert_customer', { name: 'Upsert AG', email, city: 'Bern', country: 'CH' });
    assert.strictEqual(first.created, true);
    assert.strictEqual(first.address.city, 'Bern');
    const second = await run('upsert_customer', { name: 'Upsert AG', email, city: 'Basel', country: 'CH' });
    assert.strictEqual(second.id, first.id);
    assert.strictEqual(second.created, false);
    assert.strictEqual(second.matched_by, 'email');
    assert.strictEqual(second.address.city, 'Basel');
  });

  it('a replayed Create Invoice without external id creates one invoice', async () => {
    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Replay GmbH') });
    const input = {
      customer_id: cust.id,
      currency: 'EUR',
      items: [{ description: 'Licence', quantity: 1, unit_price: 99.9, vat_rate: 19 }],
      finalize: 'false',
    };
    const a = await run('create_invoice', input);
    const b = await run('create_invoice', { ...input });
    assert.strictEqual(b.id, a.id);
    assert.strictEqual(a.status, 'draft');
    const { body: list } = await api('GET', `/v1/invoices?customer_id=${cust.id}`);
    assert.strictEqual(list.data.length, 1);

    // Another step with other data is another invoice.
    const c = await run('create_invoice', { ...input, reference: 'second order' });
    assert.notStrictEqual(c.id, a.id);
  });

  it('finalizes an invoice, and a replayed finalize answers the same', async () => {
    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Final SA') });
    const draft = await run('create_invoice', {
      customer_id: cust.id,
      currency: 'CHF',
      items: [{ description: 'Audit', quantity: 1, unit_price: 1000, vat_rate: 8.1 }],
    });
    const a = await run('finalize_invoice', { invoice_id: draft.id });
    const b = await run('finalize_invoice', { invoice_id: draft.id });
    assert.strictEqual(a.status, 'open');
    assert.match(a.number, /^INV-\d+$/);
    assert.deepStrictEqual(b, a);
  });

  it('dates invoices back on create and on finalize', async () => {
    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Migrated AG') });
    const items = [{ description: 'Old work', quantity: 1, unit_price: 100, vat_rate: 0 }];
    const created = await run('create_invoice', {
      customer_id: cust.id,
      currency: 'CHF',
      items,
      due_in_days: 30,
      issue_date: '2025-01-15',
      finalize: 'true',
    });
    assert.strictEqual(created.issue_date, '2025-01-15');
    assert.strictEqual(created.due_date, '2025-02-14');
    assert.strictEqual(created.status, 'overdue');

    const draft = await run('create_invoice', { customer_id: cust.id, currency: 'CHF', items, reference: 'draft' });
    const fin = await run('finalize_invoice', { invoice_id: draft.id, issue_date: '2025-03-01' });
    assert.strictEqual(fin.issue_date, '2025-03-01');
    await assert.rejects(
      run('create_invoice', { customer_id: cust.id, currency: 'CHF', items, issue_date: '2999-01-01', reference: 'future' }),
      /issue_date/,
    );
  });

  it('a replayed Record Payment is counted once', async () => {
    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Pay Twice AG') });
    const { body: inv } = await api('POST', '/v1/invoices', {
      customer_id: cust.id,
      currency: 'CHF',
      items: [{ description: 'Work', quantity: 1, unit_price: '200.00', vat_rate: 0 }],
      finalize: true,
    });
    const input = { invoice_id: inv.id, amount: 50, method: 'cash' };
    const p1 = await run('record_payment', input);
    const p2 = await run('record_payment', input);
    assert.strictEqual(p2.id, p1.id);
    const { body: after } = await api('GET', `/v1/invoices/${inv.id}`);
    assert.strictEqual(after.amount_paid, 50);
    assert.strictEqual(after.amount_due, 150);
    assert.strictEqual(after.status, 'partially_paid');
  });

  it('invoices a won deal once, however often the step runs', async () => {
    const dealId = unique('deal');
    const input = {
      deal_id: dealId,
      customer_external_id: unique('crm'),
      customer_name: 'Deal Winner AG',
      customer_email: `${unique('deal')}@example.ch`,
      customer_city: 'Luzern',
      currency: 'CHF',
      items: [{ description: 'Setup', quantity: 1, unit_price: 500, vat_rate: 8.1 }],
      finalize: true,
    };
    const a = await run('deal_won', input);
    const b = await run('deal_won', input);
    assert.strictEqual(a.created, true);
    assert.strictEqual(a.id, a.invoice.id);
    assert.strictEqual(a.invoice.external_id, dealId);
    assert.strictEqual(a.invoice.status, 'open');
    assert.strictEqual(a.customer.address.city, 'Luzern');
    assert.strictEqual(b.invoice.id, a.invoice.id);
    assert.strictEqual(b.customer_id, a.customer_id);
    // Even with another idempotency key the deal id keeps it one invoice.
    const c = await run('deal_won', { ...input, idempotency_key: unique('other') });
    assert.strictEqual(c.invoice.id, a.invoice.id);
    assert.strictEqual(c.created, false);
  });
});
