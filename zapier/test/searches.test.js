'use strict';

const assert = require('assert');
const { appTester, bundle, api, unique, App } = require('./_env');

const search = (key, inputData) => appTester(App.searches[key].operation.perform, bundle({ inputData }));

describe('searches', () => {
  let cust;
  let open;
  let paid;
  before(async () => {
    ({ body: cust } = await api('POST', '/v1/customers', {
      name: unique('Search AG'),
      email: `${unique('s')}@example.ch`,
      external_id: unique('crm'),
      customer_number: unique('C'),
    }));
    const invoice = (extra) =>
      api('POST', '/v1/invoices', {
        customer_id: cust.id,
        currency: 'CHF',
        items: [{ description: 'Item', quantity: 1, unit_price: '10.00', vat_rate: 0 }],
        ...extra,
      });
    ({ body: open } = await invoice({ external_id: unique('ext'), finalize: true }));
    ({ body: paid } = await invoice({ finalize: true }));
    await api('POST', `/v1/invoices/${paid.id}/payments`, { amount: paid.amount_due });
    await invoice({}); // a draft: not unpaid
  });

  it('finds a customer by email, external id and customer number', async () => {
    for (const field of ['email', 'external_id', 'customer_number']) {
      const found = await search('find_customer', { [field]: cust[field] });
      assert.deepStrictEqual(found.map((c) => c.id), [cust.id], field);
    }
  });

  it('finds no customer as an empty array', async () => {
    assert.deepStrictEqual(await search('find_customer', { email: `${unique('nobody')}@example.ch` }), []);
  });

  it('asks for a field when none is given', async () => {
    await assert.rejects(search('find_customer', {}), /external ID, a customer number or an email/);
  });

  it('finds an invoice by number and by external id', async () => {
    const byNumber = await search('find_invoice', { number: paid.number });
    assert.deepStrictEqual(byNumber.map((i) => i.id), [paid.id]);
    const byExternal = await search('find_invoice', { external_id: open.external_id });
    assert.deepStrictEqual(byExternal.map((i) => i.id), [open.id]);
    assert.deepStrictEqual(await search('find_invoice', { number: 'INV-999999' }), []);
  });

  it("finds a customer's unpaid invoices only", async () => {
    const found = await search('find_unpaid_invoices', { customer_id: cust.id });
    assert.deepStrictEqual(found.map((i) => i.id), [open.id]);
  });
});
