'use strict';

// reminder.js: send a reminder (Zahlungserinnerung, Mahnung) of an overdue
// invoice, and pause or resume dunning (Mahnsperre) of an invoice or a
// customer.

const { write, compact } = require('../lib/http');
const { withId, invoiceSample, customerSample, reminderSample, resources } = require('../lib/fields');
const { idempotencyField, bool } = require('../lib/input');

const sendReminder = {
  key: 'send_reminder',
  noun: 'Reminder',
  display: {
    label: 'Send Reminder',
    description:
      "Records a reminder (Zahlungserinnerung, Mahnung) of an overdue invoice at its next level: the level's fee (with VAT) and interest grow the invoice's amount due.",
  },
  operation: {
    inputFields: [
      { key: 'invoice_id', label: 'Invoice', required: true, dynamic: 'invoice_list.id.label', helpText: 'An overdue invoice; paid, cancelled and paused invoices are refused.' },
      { key: 'channel', label: 'Channel', required: true, choices: { email: 'Email', post: 'Post', manual: 'Manual' }, default: 'email', helpText: 'How the reminder went out.' },
      { key: 'level', label: 'Level', type: 'integer', helpText: "Optional: 1 Zahlungserinnerung, 2 1. Mahnung… Empty sends the invoice's next level; a level already sent is refused." },
      { key: 'sent_at', label: 'Sent At', type: 'datetime', helpText: 'Optional; now when empty. Never in the future.' },
      { key: 'note', label: 'Note', helpText: 'Optional note for the CRM, up to 500 characters.' },
      idempotencyField,
    ],
    perform: (z, bundle) => {
      const input = bundle.inputData;
      const id = String(input.invoice_id || '').trim();
      const body = compact({
        channel: input.channel || 'email',
        level: input.level === undefined || input.level === '' ? undefined : Number(input.level),
        sent_at: input.sent_at,
        note: input.note,
      });
      return write(z, bundle, 'send_reminder', `/v1/invoices/${encodeURIComponent(id)}/reminders`, body);
    },
    sample: reminderSample,
    outputFields: withId('reminder'),
  },
};

// pauseField is the Mahnsperre switch of the two dunning actions.
const pauseField = {
  key: 'paused',
  label: 'Pause Dunning',
  type: 'boolean',
  required: true,
  default: 'true',
  helpText: 'Yes stops reminders (Mahnsperre), e.g. during a dispute; No resumes the ladder where it stood.',
};

// putPause sends PUT {paused} to a dunning resource.
const putPause = async (z, bundle, url) => {
  const response = await z.request({
    url,
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: { paused: bool(bundle.inputData.paused) },
  });
  return response.data;
};

const invoiceDunning = {
  key: 'set_invoice_dunning',
  noun: 'Invoice',
  display: {
    label: 'Pause or Resume Invoice Dunning',
    description: 'Stops (Mahnsperre) or resumes the reminders of one invoice, e.g. during a dispute.',
  },
  operation: {
    inputFields: [{ key: 'invoice_id', label: 'Invoice', required: true, dynamic: 'invoice_list.id.label' }, pauseField],
    perform: (z, bundle) => putPause(z, bundle, `/v1/invoices/${encodeURIComponent(String(bundle.inputData.invoice_id || '').trim())}/dunning`),
    sample: { ...invoiceSample, dunning_paused: true },
    outputFields: [...withId('invoice'), { key: 'dunning_paused', label: 'Dunning Paused', type: 'boolean' }],
  },
};

const customerDunning = {
  key: 'set_customer_dunning',
  noun: 'Customer',
  display: {
    label: 'Pause or Resume Customer Dunning',
    description: "Stops (Mahnsperre) or resumes the reminders of all of a customer's invoices.",
  },
  operation: {
    inputFields: [{ key: 'customer_id', label: 'Customer', required: true, dynamic: 'customer_list.id.name' }, pauseField],
    perform: async (z, bundle) => {
      const id = String(bundle.inputData.customer_id || '').trim();
      return { id, ...(await putPause(z, bundle, `/v1/customers/${encodeURIComponent(id)}/dunning`)) };
    },
    sample: { id: customerSample.id, customer_id: customerSample.id, dunning_paused: true },
    outputFields: [
      { key: 'customer_id', label: resources.customer.idLabel },
      { key: 'dunning_paused', label: 'Dunning Paused', type: 'boolean' },
    ],
  },
};

module.exports = [sendReminder, invoiceDunning, customerDunning];
