'use strict';

// dunning.js: a customer's payment health, reminders (due or sent) and the
// receivables report, as searches.

const { compact } = require('../lib/http');
const { customerSample, reminderFields, reminderSample } = require('../lib/fields');

const healthCurrencyFields = [
  ['currency', 'Currency'],
  ['invoice_count', 'Finalized Invoices', 'integer'],
  ['invoiced', 'Invoiced', 'number'],
  ['paid', 'Paid', 'number'],
  ['open_amount', 'Open Amount', 'number'],
  ['open_count', 'Open Invoices', 'integer'],
  ['overdue_amount', 'Overdue Amount', 'number'],
  ['overdue_count', 'Overdue Invoices', 'integer'],
  ['oldest_overdue_days', 'Oldest Overdue (days)', 'integer'],
  ['avg_days_to_pay', 'Average Days to Pay', 'number'],
  ['avg_days_late', 'Average Days Late', 'number'],
  ['on_time_ratio', 'On-Time Ratio (0-1)', 'number'],
  ['last_payment_at', 'Last Payment On'],
  ['max_reminder_level', 'Highest Reminder Level on Unpaid Invoices', 'integer'],
  ['rating', 'Currency Rating'],
].map(([key, label, type]) => ({ key: `currencies[]${key}`, label: `${label} (per currency)`, ...(type ? { type } : {}) }));

const paymentHealth = {
  key: 'find_payment_health',
  noun: 'Payment Health',
  display: {
    label: 'Get Payment Health',
    description:
      'Gets how a customer pays, per currency: open and overdue amounts, days late, reminders sent, a rating (good, watch, poor) and warnings to read before contacting them.',
  },
  operation: {
    inputFields: [{ key: 'customer_id', label: 'Customer', required: true, dynamic: 'customer_list.id.name' }],
    perform: async (z, bundle) => {
      const id = String(bundle.inputData.customer_id || '').trim();
      const response = await z.request({ url: `/v1/customers/${encodeURIComponent(id)}/payment-health` });
      return [{ id: response.data.customer_id, ...response.data }];
    },
    sample: {
      id: customerSample.id,
      customer_id: customerSample.id,
      as_of: '2026-12-02',
      rating: 'poor',
      warnings: ['3 unpaid invoices, CHF 4 500.00 overdue, oldest 47 days'],
      currencies: [
        {
          currency: 'CHF', invoice_count: 12, invoiced: 18400, paid: 13900, open_amount: 4500, open_count: 3, overdue_amount: 4500,
          overdue_count: 3, oldest_overdue_days: 47, avg_days_to_pay: 34.5, avg_days_late: 4.5, on_time_ratio: 0.75,
          last_payment_at: '2026-11-28', max_reminder_level: 2, rating: 'poor',
        },
      ],
    },
    outputFields: [
      { key: 'customer_id', label: 'Customer ID' },
      { key: 'as_of', label: 'As Of' },
      { key: 'rating', label: 'Rating (good, watch, poor, insufficient_data)' },
      { key: 'warnings', label: 'Warnings', list: true },
      ...healthCurrencyFields,
    ],
  },
};

const reminders = {
  key: 'find_reminders',
  noun: 'Reminder',
  display: {
    label: 'Find Reminders',
    description: 'Finds the reminders the dunning ladder says should go out now (one per invoice), or those sent, newest first; of one customer or the account.',
  },
  operation: {
    inputFields: [
      { key: 'status', label: 'Status', required: true, choices: { due: 'Due now', sent: 'Sent' }, default: 'due' },
      { key: 'customer_id', label: 'Customer', dynamic: 'customer_list.id.name', helpText: "Only this customer's reminders. Leave empty for the whole account's." },
    ],
    perform: async (z, bundle) => {
      const input = bundle.inputData;
      const response = await z.request({
        url: '/v1/reminders',
        params: compact({ status: input.status || 'due', customer_id: input.customer_id && String(input.customer_id).trim(), limit: 25 }),
      });
      return response.data.data || [];
    },
    sample: reminderSample,
    outputFields: [{ key: 'id', label: 'Reminder ID (a due one: <invoice id>.<level>)' }, ...reminderFields],
  },
};

const buckets = [
  ['current', 'Not Yet Due'],
  ['1_30', '1-30 Days Overdue'],
  ['31_60', '31-60 Days Overdue'],
  ['61_90', '61-90 Days Overdue'],
  ['over_90', 'Over 90 Days Overdue'],
];

const receivables = {
  key: 'receivables_report',
  noun: 'Receivables Report',
  display: {
    label: 'Get Receivables Report',
    description: 'Gets what customers owe on a day, per currency: outstanding, overdue and aging buckets (current, 1-30, 31-60, 61-90, over 90 days).',
  },
  operation: {
    inputFields: [
      { key: 'as_of', label: 'As Of', helpText: "YYYY-MM-DD in your account's time zone; today when empty. A past day reproduces what was open then." },
    ],
    perform: async (z, bundle) => {
      const asOf = String(bundle.inputData.as_of || '').trim();
      const response = await z.request({ url: '/v1/reports/receivables', params: compact({ as_of: asOf }) });
      return [{ id: `receivables-${response.data.as_of}`, ...response.data }];
    },
    sample: {
      id: 'receivables-2026-12-02',
      as_of: '2026-12-02',
      currencies: [
        {
          currency: 'CHF', outstanding: 8200, outstanding_count: 7, overdue: 4500, overdue_count: 3,
          aging: {
            current: { amount: 3700, count: 4 }, '1_30': { amount: 2000, count: 1 }, '31_60': { amount: 2500, count: 2 },
            '61_90': { amount: 0, count: 0 }, over_90: { amount: 0, count: 0 },
          },
        },
      ],
    },
    outputFields: [
      { key: 'as_of', label: 'As Of' },
      { key: 'currencies[]currency', label: 'Currency' },
      { key: 'currencies[]outstanding', label: 'Outstanding', type: 'number' },
      { key: 'currencies[]outstanding_count', label: 'Outstanding Invoices', type: 'integer' },
      { key: 'currencies[]overdue', label: 'Overdue', type: 'number' },
      { key: 'currencies[]overdue_count', label: 'Overdue Invoices', type: 'integer' },
      ...buckets.flatMap(([key, label]) => [
        { key: `currencies[]aging__${key}__amount`, label: `${label}: Amount`, type: 'number' },
        { key: `currencies[]aging__${key}__count`, label: `${label}: Invoices`, type: 'integer' },
      ]),
    ],
  },
};

module.exports = [paymentHealth, reminders, receivables];
