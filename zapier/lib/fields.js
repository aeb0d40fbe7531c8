'use strict';

// fields.js: the labelled output fields and static samples of customers,
// invoices, payments and events, shared by triggers, searches and creates.

const addressFields = (prefix, label) => [
  { key: `${prefix}__street`, label: `${label} Street` },
  { key: `${prefix}__building_number`, label: `${label} Building Number` },
  { key: `${prefix}__postal_code`, label: `${label} Postal Code` },
  { key: `${prefix}__city`, label: `${label} City` },
  { key: `${prefix}__country`, label: `${label} Country (ISO 3166-1 alpha-2)` },
];

const customerFields = [
  { key: 'external_id', label: 'External ID (CRM)' },
  { key: 'customer_number', label: 'Customer Number' },
  { key: 'kind', label: 'Kind (company or person)' },
  { key: 'name', label: 'Name' },
  { key: 'contact_person', label: 'Contact Person' },
  { key: 'email', label: 'Email' },
  { key: 'phone', label: 'Phone' },
  ...addressFields('address', 'Address'),
  ...addressFields('shipping_address', 'Shipping Address'),
  { key: 'vat_number', label: 'VAT Number' },
  { key: 'language', label: 'Language' },
  { key: 'payment_terms_days', label: 'Payment Terms (days)', type: 'integer' },
  { key: 'created_at', label: 'Created At', type: 'datetime' },
  { key: 'updated_at', label: 'Updated At', type: 'datetime' },
];

const invoiceFields = [
  { key: 'customer_id', label: 'Customer ID' },
  { key: 'external_id', label: 'External ID' },
  { key: 'number', label: 'Invoice Number' },
  { key: 'status', label: 'Status' },
  { key: 'currency', label: 'Currency' },
  { key: 'items[]description', label: 'Item Description' },
  { key: 'items[]quantity', label: 'Item Quantity', type: 'number' },
  { key: 'items[]unit_price', label: 'Item Unit Price', type: 'number' },
  { key: 'items[]vat_rate', label: 'Item VAT Rate (%)', type: 'number' },
  { key: 'items[]amount', label: 'Item Amount (net)', type: 'number' },
  { key: 'vat_breakdown[]rate', label: 'VAT Rate (%)', type: 'number' },
  { key: 'vat_breakdown[]net', label: 'VAT Net Amount', type: 'number' },
  { key: 'vat_breakdown[]vat', label: 'VAT Amount', type: 'number' },
  { key: 'subtotal', label: 'Subtotal (net)', type: 'number' },
  { key: 'vat_total', label: 'VAT Total', type: 'number' },
  { key: 'total', label: 'Total', type: 'number' },
  { key: 'amount_paid', label: 'Amount Paid', type: 'number' },
  { key: 'amount_due', label: 'Amount Due', type: 'number' },
  { key: 'due_in_days', label: 'Due In Days', type: 'integer' },
  { key: 'issue_date', label: 'Issue Date' },
  { key: 'due_date', label: 'Due Date' },
  { key: 'reference', label: 'Reference' },
  { key: 'notes', label: 'Notes' },
  { key: 'created_at', label: 'Created At', type: 'datetime' },
  { key: 'updated_at', label: 'Updated At', type: 'datetime' },
  { key: 'finalized_at', label: 'Finalized At', type: 'datetime' },
  { key: 'paid_at', label: 'Paid At', type: 'datetime' },
  { key: 'cancelled_at', label: 'Cancelled At', type: 'datetime' },
];

const paymentFields = [
  { key: 'invoice_id', label: 'Invoice ID' },
  { key: 'customer_id', label: 'Customer ID' },
  { key: 'external_id', label: 'External ID' },
  { key: 'amount', label: 'Amount', type: 'number' },
  { key: 'currency', label: 'Currency' },
  { key: 'paid_at', label: 'Paid On' },
  { key: 'method', label: 'Method' },
  { key: 'reference', label: 'Reference' },
  { key: 'created_at', label: 'Created At', type: 'datetime' },
];

const customerSample = {
  id: 'cus_01J9Z8Q4W6Y2XKQ3V5N7M8P0AB',
  external_id: 'hubspot-4711',
  customer_number: 'C-1001',
  kind: 'company',
  name: 'Muster AG',
  contact_person: 'Anna Muster',
  email: 'billing@muster.ch',
  phone: '+41 44 123 45 67',
  address: { street: 'Bahnhofstrasse', building_number: '1', postal_code: '8001', city: 'Zürich', country: 'CH' },
  vat_number: 'CHE-123.456.789 MWST',
  language: 'de',
  payment_terms_days: 30,
  created_at: '2026-03-02T09:15:00.000Z',
  updated_at: '2026-03-02T09:15:00.000Z',
};

const invoiceSample = {
  id: 'inv_01J9Z8R2C4D6F8H0J2K4M6N8PQ',
  customer_id: customerSample.id,
  external_id: 'deal-9001',
  number: 'INV-000042',
  status: 'open',
  currency: 'CHF',
  items: [{ description: 'Consulting', quantity: 10, unit_price: 150, vat_rate: 8.1, amount: 1500 }],
  vat_breakdown: [{ rate: 8.1, net: 1500, vat: 121.5 }],
  subtotal: 1500,
  vat_total: 121.5,
  total: 1621.5,
  amount_paid: 0,
  amount_due: 1621.5,
  due_in_days: 30,
  issue_date: '2026-03-02',
  due_date: '2026-04-01',
  reference: 'PO 1234',
  notes: '',
  created_at: '2026-03-02T09:16:00.000Z',
  updated_at: '2026-03-02T09:17:00.000Z',
  finalized_at: '2026-03-02T09:17:00.000Z',
  paid_at: null,
  cancelled_at: null,
};

const paymentSample = {
  id: 'pay_01J9Z8T6V8X0Z2B4D6F8H0J2KL',
  invoice_id: invoiceSample.id,
  customer_id: customerSample.id,
  external_id: 'bank-2026-03-10-001',
  amount: 1621.5,
  currency: 'CHF',
  paid_at: '2026-03-10',
  method: 'bank_transfer',
  reference: 'RF18 5390 0754 7034',
  created_at: '2026-03-10T07:00:00.000Z',
};

const possibleDuplicateFields = [
  { key: 'possible_duplicates[]id', label: 'Possible Duplicate Customer ID' },
  { key: 'possible_duplicates[]score', label: 'Possible Duplicate Score (0-1)', type: 'number' },
  { key: 'possible_duplicates[]reasons', label: 'Possible Duplicate Reasons' },
];

const possibleDuplicatesSample = [
  { id: 'cus_01J9Z8Q4W6Y2XKQ3V5N7M8P0CD', score: 0.95, reasons: ['same_name', 'same_postal_code'] },
];

const mergeFields = [
  { key: 'primary_id', label: 'Surviving Customer ID' },
  { key: 'moved__invoices', label: 'Invoices Moved', type: 'integer' },
  { key: 'moved__payments', label: 'Payments Moved', type: 'integer' },
  { key: 'merged_at', label: 'Merged At', type: 'datetime' },
];

const mergeSample = {
  primary_id: customerSample.id,
  merged_id: 'cus_01J9Z8Q4W6Y2XKQ3V5N7M8P0CD',
  moved: { invoices: 2, payments: 1 },
  merged_at: '2026-03-03T08:00:00.000Z',
};

const reminderFields = [
  { key: 'status', label: 'Reminder Status (sent or due)' },
  { key: 'invoice_id', label: 'Invoice ID' },
  { key: 'invoice_number', label: 'Invoice Number' },
  { key: 'invoice_external_id', label: 'Invoice External ID (CRM deal)' },
  { key: 'customer_id', label: 'Customer ID' },
  { key: 'customer_external_id', label: 'Customer External ID (CRM)' },
  { key: 'level', label: 'Level (1 Zahlungserinnerung, 2 1. Mahnung…)', type: 'integer' },
  { key: 'title', label: 'Title' },
  { key: 'currency', label: 'Currency' },
  { key: 'principal', label: 'Open Principal', type: 'number' },
  { key: 'fee', label: 'Fee (before VAT)', type: 'number' },
  { key: 'fee_vat', label: 'VAT on Fee', type: 'number' },
  { key: 'fee_vat_rate', label: 'VAT Rate of Fee (%)', type: 'number' },
  { key: 'interest', label: 'Interest', type: 'number' },
  { key: 'interest_rate', label: 'Interest Rate (% a year)', type: 'number' },
  { key: 'interest_days', label: 'Interest Days', type: 'integer' },
  { key: 'amount_due', label: 'Amount Due Before This Reminder', type: 'number' },
  { key: 'total_due', label: 'Total Due', type: 'number' },
  { key: 'pay_by', label: 'Pay By' },
  { key: 'due_on', label: 'Due On (due reminders)' },
  { key: 'channel', label: 'Channel (email, post or manual)' },
  { key: 'note', label: 'Note' },
  { key: 'sent_at', label: 'Sent At', type: 'datetime' },
  { key: 'sent_on', label: 'Sent On' },
  { key: 'created_at', label: 'Created At', type: 'datetime' },
];

const reminderSample = {
  id: 'rem_01JDZ9A1B2C3D4E5F6G7H8J9K0',
  status: 'sent',
  invoice_id: invoiceSample.id,
  invoice_number: 'INV-000042',
  invoice_external_id: 'deal-9001',
  customer_id: customerSample.id,
  customer_external_id: 'hubspot-4711',
  level: 2,
  title: '1. Mahnung',
  currency: 'CHF',
  principal: 1621.5,
  fee: 20,
  fee_vat: 1.62,
  fee_vat_rate: 8.1,
  interest: 3.33,
  interest_rate: 5,
  interest_days: 15,
  amount_due: 1621.5,
  total_due: 1646.45,
  pay_by: '2026-05-11',
  channel: 'email',
  note: 'Sent by Anna',
  sent_at: '2026-05-01T08:00:00.000Z',
  sent_on: '2026-05-01',
  created_at: '2026-05-01T08:00:00.000Z',
};

const ratingFields = [
  { key: 'customer_id', label: 'Customer ID' },
  { key: 'external_id', label: 'Customer External ID (CRM)' },
  { key: 'from', label: 'Rating Before (good, watch, poor, insufficient_data)' },
  { key: 'to', label: 'Rating Now (good, watch, poor, insufficient_data)' },
  { key: 'warnings', label: 'Warnings', list: true },
];

const ratingSample = {
  customer_id: customerSample.id,
  external_id: 'hubspot-4711',
  from: 'good',
  to: 'watch',
  warnings: ['1 unpaid invoice, CHF 1 621.50 overdue, oldest 12 days'],
};

const alertFields = [
  { key: 'kind', label: 'Alert Kind (hook_failing, delivery_dropped, hook_removed, incident, no_api_calls)' },
  { key: 'detail', label: 'Detail' },
  { key: 'firing', label: 'Firing', type: 'boolean' },
  { key: 'fired_at', label: 'Fired At', type: 'datetime' },
  { key: 'resolved_at', label: 'Resolved At', type: 'datetime' },
  { key: 'occurrences', label: 'Occurrences Since the Last Mail', type: 'integer' },
];

const alertSample = {
  kind: 'hook_failing',
  subject: 'hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS',
  detail: 'Deliveries to https://hooks.zapier.com/hooks/standard/123/abc failed 5 times in a row.',
  firing: true,
  fired_at: '2026-12-02T09:00:00.000Z',
  resolved_at: null,
  occurrences: 1,
};

// resources describes each resource an event can carry: the field its own
// id is exposed as, its output fields and a sample.
const resources = {
  customer: { idKey: 'customer_id', idLabel: 'Customer ID', fields: customerFields, sample: customerSample },
  invoice: { idKey: 'invoice_id', idLabel: 'Invoice ID', fields: invoiceFields, sample: invoiceSample },
  payment: { idKey: 'payment_id', idLabel: 'Payment ID', fields: paymentFields, sample: paymentSample },
  // A customer.merged event carries the merge, not a customer.
  merge: { idKey: 'merged_id', idLabel: 'Merged Customer ID', fields: mergeFields, sample: mergeSample },
  // invoice.reminder_due and reminder.sent carry a reminder (a due one's id is <invoice id>.<level>).
  reminder: { idKey: 'reminder_id', idLabel: 'Reminder ID', fields: reminderFields, sample: reminderSample },
  // customer.payment_rating_changed carries the change, which has no id of its own.
  rating: { idKey: 'customer_id', idLabel: 'Customer ID', fields: ratingFields, sample: ratingSample },
  // alert.fired and alert.resolved carry the alert, named by kind and subject.
  alert: { idKey: 'subject', idLabel: 'Alert Subject (hook ID, source/workflow)', fields: alertFields, sample: alertSample },
};

// eventResources names the resource of the event types whose data is not
// the resource their prefix says.
const eventResources = {
  'customer.merged': 'merge',
  'customer.payment_rating_changed': 'rating',
  'invoice.reminder_due': 'reminder',
};

// resourceOf names the resource an event type carries.
const resourceOf = (type) => eventResources[type] || String(type || '').split('.')[0];

// withId returns a resource's fields with its own id first, labelled.
const withId = (resource, idKey = 'id') => [
  { key: idKey, label: resources[resource].idLabel },
  ...resources[resource].fields.filter((f) => f.key !== idKey),
];

const eventFields = (resource) => [
  { key: 'id', label: 'Event ID' },
  { key: 'event_type', label: 'Event Type' },
  { key: 'seq', label: 'Event Sequence Number', type: 'integer' },
  { key: 'occurred_at', label: 'Occurred At', type: 'datetime' },
  ...withId(resource, resources[resource].idKey),
];

module.exports = {
  resources,
  resourceOf,
  withId,
  eventFields,
  customerSample,
  invoiceSample,
  paymentSample,
  possibleDuplicateFields,
  possibleDuplicatesSample,
  reminderFields,
  reminderSample,
};
