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

const summaryLine = (prefix, label) => [
  { key: `${prefix}currency`, label: `${label} Currency` },
  { key: `${prefix}invoiced_net`, label: `${label} Invoiced (net)`, type: 'number' },
  { key: `${prefix}vat_total`, label: `${label} VAT`, type: 'number' },
  { key: `${prefix}invoiced_gross`, label: `${label} Invoiced (gross)`, type: 'number' },
  { key: `${prefix}invoiced_count`, label: `${label} Invoices Issued`, type: 'integer' },
  { key: `${prefix}received`, label: `${label} Received`, type: 'number' },
  { key: `${prefix}received_count`, label: `${label} Payments`, type: 'integer' },
  { key: `${prefix}cancelled`, label: `${label} Cancelled`, type: 'number' },
  { key: `${prefix}cancelled_count`, label: `${label} Invoices Cancelled`, type: 'integer' },
];

const summaryLineSample = {
  currency: 'CHF', invoiced_net: 10000, vat_by_rate: [{ rate: 8.1, net: 10000, vat: 810 }], vat_total: 810, invoiced_gross: 10810,
  invoiced_count: 12, received: 7500, received_count: 9, cancelled: 540.5, cancelled_count: 1,
};

const summary = {
  key: 'summary_report',
  noun: 'Summary Report',
  display: {
    label: 'Get Invoicing Summary',
    description: 'Gets per month, quarter or year and currency what was invoiced (net, VAT by rate, gross), received and cancelled.',
  },
  operation: {
    inputFields: [
      { key: 'from', label: 'From', helpText: 'YYYY-MM-DD, the first day; the gateway default when empty.' },
      { key: 'to', label: 'To', helpText: 'YYYY-MM-DD, the last day; today when empty.' },
      { key: 'group_by', label: 'Group By', choices: { month: 'Month', quarter: 'Quarter', year: 'Year' }, default: 'month' },
    ],
    perform: async (z, bundle) => {
      const input = bundle.inputData;
      const response = await z.request({ url: '/v1/reports/summary', params: compact({ from: input.from, to: input.to, group_by: input.group_by }) });
      return [{ id: `summary-${response.data.from}-${response.data.to}-${response.data.group_by}`, ...response.data }];
    },
    sample: {
      id: 'summary-2026-11-01-2026-12-02-month',
      from: '2026-11-01',
      to: '2026-12-02',
      group_by: 'month',
      periods: [{ period: '2026-11', from: '2026-11-01', to: '2026-11-30', currencies: [summaryLineSample] }],
      totals: [summaryLineSample],
    },
    outputFields: [
      { key: 'from', label: 'From' },
      { key: 'to', label: 'To' },
      { key: 'group_by', label: 'Grouped By' },
      { key: 'periods[]period', label: 'Period (2026-11, 2026-Q4, 2026)' },
      ...summaryLine('totals[]', 'Total:'),
    ],
  },
};

const customerReport = {
  key: 'customer_report',
  noun: 'Customer Receivables',
  display: {
    label: 'Find Customers With Open Amounts',
    description: 'Finds customers by what they owe, per currency: outstanding and overdue amounts, oldest overdue days, reminder level; most overdue first.',
  },
  operation: {
    inputFields: [
      { key: 'sort', label: 'Sort', choices: { overdue_desc: 'Most overdue first', outstanding_desc: 'Most outstanding first' }, default: 'overdue_desc' },
      { key: 'currency', label: 'Currency', choices: { CHF: 'CHF', EUR: 'EUR' }, helpText: 'Empty for both.' },
    ],
    perform: async (z, bundle) => {
      const input = bundle.inputData;
      const response = await z.request({ url: '/v1/reports/customers', params: compact({ sort: input.sort || 'overdue_desc', currency: input.currency, limit: 25 }) });
      return (response.data.data || []).map((row) => ({ id: `${row.customer_id}.${row.currency}`, ...row }));
    },
    sample: {
      id: `${customerSample.id}.CHF`, customer_id: customerSample.id, customer_name: 'Muster AG', external_id: 'hubspot-4711', customer_number: 'C-1001',
      currency: 'CHF', outstanding: 4500, outstanding_count: 3, overdue: 4500, overdue_count: 3, oldest_overdue_days: 47, max_reminder_level: 2, dunning_paused: false,
    },
    outputFields: [
      { key: 'customer_id', label: 'Customer ID' },
      { key: 'customer_name', label: 'Customer Name' },
      { key: 'external_id', label: 'Customer External ID (CRM)' },
      { key: 'customer_number', label: 'Customer Number' },
      { key: 'currency', label: 'Currency' },
      { key: 'outstanding', label: 'Outstanding', type: 'number' },
      { key: 'outstanding_count', label: 'Outstanding Invoices', type: 'integer' },
      { key: 'overdue', label: 'Overdue', type: 'number' },
      { key: 'overdue_count', label: 'Overdue Invoices', type: 'integer' },
      { key: 'oldest_overdue_days', label: 'Oldest Overdue (days)', type: 'integer' },
      { key: 'max_reminder_level', label: 'Highest Reminder Level', type: 'integer' },
      { key: 'dunning_paused', label: 'Dunning Paused', type: 'boolean' },
    ],
  },
};

module.exports = [paymentHealth, reminders, receivables, summary, customerReport];
