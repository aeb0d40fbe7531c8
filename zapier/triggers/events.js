'use strict';

// events.js: the polling and instant triggers, one pair per event type.

const { eventTriggers } = require('../lib/events');

const definitions = [
  { key: 'new_customer', type: 'customer.created', noun: 'Customer', label: 'New Customer', description: 'Triggers when a customer is created' },
  { key: 'updated_customer', type: 'customer.updated', noun: 'Customer', label: 'Updated Customer', description: "Triggers when a customer's details change, naming the changed fields (e.g. email, address.city) with their previous values, so a filter can react to the fields you care about" },
  { key: 'customer_merged', type: 'customer.merged', noun: 'Customer', label: 'Customer Merged', description: 'Triggers when a duplicate customer is merged into another: gives the surviving and the merged customer ID and what moved' },
  { key: 'new_invoice', type: 'invoice.created', noun: 'Invoice', label: 'New Invoice', description: 'Triggers when an invoice is created (as a draft or finalized at once)' },
  { key: 'invoice_finalized', type: 'invoice.finalized', noun: 'Invoice', label: 'Invoice Finalized', description: 'Triggers when an invoice is finalized: numbered, dated and opened' },
  { key: 'invoice_paid', type: 'invoice.paid', noun: 'Invoice', label: 'Invoice Paid', description: 'Triggers when an invoice is paid in full' },
  { key: 'invoice_cancelled', type: 'invoice.cancelled', noun: 'Invoice', label: 'Invoice Cancelled', description: 'Triggers when a draft or unpaid invoice is cancelled (storniert)' },
  { key: 'invoice_overdue', type: 'invoice.overdue', noun: 'Invoice', label: 'Invoice Overdue', description: 'Triggers when an unpaid invoice passes its due date' },
  { key: 'invoice_reminder_due', type: 'invoice.reminder_due', noun: 'Reminder', label: 'Reminder Due', description: "Triggers when an overdue invoice's next reminder (Zahlungserinnerung, Mahnung) should go out, per the dunning ladder: once per level" },
  { key: 'reminder_sent', type: 'reminder.sent', noun: 'Reminder', label: 'Reminder Sent', description: 'Triggers when a reminder of an invoice is recorded as sent, with its level, fee, interest and total due, to log "Mahnung versendet" in the CRM' },
  { key: 'payment_rating_changed', type: 'customer.payment_rating_changed', noun: 'Customer', label: 'Payment Rating Changed', description: "Triggers when a customer's payment rating (good, watch, poor) changes through a payment, an overdue invoice or a reminder, with the warnings" },
  { key: 'invoice_dunning_paused', type: 'invoice.dunning_paused', noun: 'Invoice', label: 'Invoice Dunning Paused', description: 'Triggers when the reminders of an invoice are paused (Mahnsperre)' },
  { key: 'invoice_dunning_resumed', type: 'invoice.dunning_resumed', noun: 'Invoice', label: 'Invoice Dunning Resumed', description: 'Triggers when the reminders of an invoice are resumed' },
  { key: 'customer_dunning_paused', type: 'customer.dunning_paused', noun: 'Customer', label: 'Customer Dunning Paused', description: "Triggers when the reminders of all a customer's invoices are paused (Mahnsperre)" },
  { key: 'customer_dunning_resumed', type: 'customer.dunning_resumed', noun: 'Customer', label: 'Customer Dunning Resumed', description: "Triggers when the reminders of a customer's invoices are resumed" },
  { key: 'payment_received', type: 'payment.received', noun: 'Payment', label: 'Payment Received', description: 'Triggers when a payment is recorded against an invoice' },
  { key: 'alert_fired', type: 'alert.fired', noun: 'Alert', label: 'Alert Fired', description: 'Triggers when a sync alert starts firing: a hook failing, a delivery dropped, a hook removed after 410, an incident reported, or no API calls' },
  { key: 'alert_resolved', type: 'alert.resolved', noun: 'Alert', label: 'Alert Resolved', description: 'Triggers when a sync alert clears: a failing hook delivers again, or API calls arrive again' },
];

module.exports = definitions.flatMap(eventTriggers);
