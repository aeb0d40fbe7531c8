'use strict';

// lists.js: hidden triggers that fill the customer and invoice dropdowns,
// 100 at a time, with "Load more" (canPaginate). Zapier asks for page 0, 1,
// 2… of a dropdown; the API pages by cursor. After reading page n the
// trigger stores the cursor of page n+1 in z.cursor (a JSON map page →
// cursor, so a repeated request for a page reads the same page), and page
// n+1 starts from it. When the stored cursor is gone (z.cursor keeps it
// about an hour) page n walks the cursors of the pages before it.

const { withId, customerSample, invoiceSample } = require('../lib/fields');

const pageSize = 100;

// readCursors returns the stored page → cursor map, {} when there is none.
const readCursors = async (z) => {
  try {
    return JSON.parse((await z.cursor.get()) || '{}') || {};
  } catch (err) {
    return {};
  }
};

// fetchPage reads one page of url starting after cursor (the first page
// when cursor is empty).
const fetchPage = async (z, url, cursor) => {
  const params = { limit: pageSize };
  if (cursor) {
    params.starting_after = cursor;
  }
  return (await z.request({ url, params })).data;
};

// page returns page number bundle.meta.page (from 0) of a cursor-paged list.
const page = async (z, bundle, url) => {
  const wanted = Math.max(0, Number((bundle.meta && bundle.meta.page) || 0));
  const cursors = wanted > 0 ? await readCursors(z) : {};
  let n = wanted;
  let cursor = cursors[wanted];
  if (wanted > 0 && !cursor) {
    // No stored cursor: walk from the first page.
    n = 0;
    cursor = undefined;
  }
  for (;;) {
    const body = await fetchPage(z, url, cursor);
    const next = body.has_more && body.next_cursor ? body.next_cursor : '';
    if (n === wanted) {
      if (next) {
        await z.cursor.set(JSON.stringify({ ...cursors, [wanted + 1]: next }));
      }
      return body.data || [];
    }
    if (!next) {
      return [];
    }
    cursors[n + 1] = next;
    cursor = next;
    n++;
  }
};

const invoiceLabel = (inv) =>
  [inv.number || `Draft ${inv.id}`, `${inv.currency} ${Number(inv.total).toFixed(2)}`, inv.status].join(' · ');

module.exports = [
  {
    key: 'customer_list',
    noun: 'Customer',
    display: { label: 'List Customers', description: 'Triggers when a customer dropdown is opened: lists customers, 100 at a time.', hidden: true },
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
    display: { label: 'List Invoices', description: 'Triggers when an invoice dropdown is opened: lists invoices, 100 at a time.', hidden: true },
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
