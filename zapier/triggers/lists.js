'use strict';

// lists.js: hidden triggers that fill the customer and invoice dropdowns,
// one page of 100 at a time (Zapier keeps the cursor between pages).

const { withId, customerSample, invoiceSample } = require('../lib/fields');

// page reads one page of a list, continuing from the cursor Zapier kept for
// the previous page, and stores the next cursor.
const page = async (z, bundle, url) => {
  const query = { limit: 100 };
  if (bundle.meta && bundle.meta.page > 0) {
    const cursor = await z.cursor.get();
    if (!cursor) {
      return [];
    }
    query.starting_after = cursor;
  }
  const response = await z.request({ url, params: query });
  const body = response.data;
  await z.cursor.set(body.has_more && body.next_cursor ? String(body.next_cursor) : '');
  return body.data || [];
};

const invoiceLabel = (inv) =>
  [inv.number || `Draft ${inv.id}`, `${inv.currency} ${Number(inv.total).toFixed(2)}`, inv.status].join(' · ');

module.exports = [
  {
    key: 'customer_list',
    noun: 'Customer',
    display: { label: 'List Customers', description: 'Lists customers for dropdowns.', hidden: true },
    operation: {
      type: 'polling',
      canPaginate: true,
      perform: (z, bundle) => page(z, bundle, '/v1/customers'),
      sample: customerSample,
      outputFields: withId('customer'),
    },
  },
  {
    key: 'invoice_list',
    noun: 'Invoice',
    display: { label: 'List Invoices', description: 'Lists invoices for dropdowns.', hidden: true },
    operation: {
      type: 'polling',
      canPaginate: true,
      perform: async (z, bundle) => {
        const invoices = await page(z, bundle, '/v1/invoices');
        return invoices.map((inv) => ({ ...inv, label: invoiceLabel(inv) }));
      },
      sample: { ...invoiceSample, label: invoiceLabel(invoiceSample) },
      outputFields: [...withId('invoice'), { key: 'label', label: 'Label' }],
    },
  },
];
