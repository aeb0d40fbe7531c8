'use strict';

// lists.js: hidden triggers that fill the customer and invoice dropdowns,
// 100 at a time. Zapier asks for "page" 0, 1, 2… of a dropdown; the API pages
// by cursor, so page n walks the cursors of the pages before it. That keeps
// the trigger stateless (no z.cursor) at the cost of n extra requests deep
// down a long list.

const { withId, customerSample, invoiceSample } = require('../lib/fields');

const pageSize = 100;

// page returns page number bundle.meta.page (from 0) of a cursor-paged list.
const page = async (z, bundle, url) => {
  const wanted = Math.max(0, Number((bundle.meta && bundle.meta.page) || 0));
  let startingAfter;
  for (let n = 0; ; n++) {
    const params = { limit: pageSize };
    if (startingAfter) {
      params.starting_after = startingAfter;
    }
    const body = (await z.request({ url, params })).data;
    if (n === wanted) {
      return body.data || [];
    }
    if (!body.has_more || !body.next_cursor) {
      return [];
    }
    startingAfter = body.next_cursor;
  }
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
      perform: async (z, bundle) => {
        const invoices = await page(z, bundle, '/v1/invoices');
        return invoices.map((inv) => ({ ...inv, label: invoiceLabel(inv) }));
      },
      sample: { ...invoiceSample, label: invoiceLabel(invoiceSample) },
      outputFields: [...withId('invoice'), { key: 'label', label: 'Label' }],
    },
  },
];
