'use strict';

// incident.js: report a failed Zap run to billbridge's sync health (POST
// /v1/sync/incidents, source zapier), typically from a Zap's error path or
// a Zap that watches Zapier's own "Zap errored" alerts.

const { write, compact } = require('../lib/http');
const { idempotencyField } = require('../lib/input');

const incidentSample = {
  id: 'inc_01JDZ9A1B2C3D4E5F6G7H8J9K0',
  source: 'zapier',
  workflow: 'CRM deal won → invoice',
  execution_url: 'https://zapier.com/app/history?zap_id=123456',
  message: 'Create Invoice: currency must be one of CHF, EUR',
  created_at: '2026-12-02T09:00:00.000Z',
};

module.exports = {
  key: 'report_sync_error',
  noun: 'Sync Error',
  display: {
    label: 'Report Sync Error',
    description: "Reports a failed Zap run to billbridge's sync health, so the error shows next to the ledger it concerns.",
  },
  operation: {
    inputFields: [
      { key: 'message', label: 'Error Message', required: true, helpText: 'What went wrong, e.g. the error text Zapier shows for the failed step (at most 4000 characters).' },
      { key: 'workflow', label: 'Zap Name', helpText: 'Which Zap failed, e.g. "CRM deal won → invoice".' },
      { key: 'execution_url', label: 'Zap Run Link', helpText: 'A link to the failed run in your Zap history (https://zapier.com/app/history…).' },
      idempotencyField,
    ],
    perform: (z, bundle) =>
      write(
        z,
        bundle,
        'report_sync_error',
        '/v1/sync/incidents',
        compact({ source: 'zapier', message: bundle.inputData.message, workflow: bundle.inputData.workflow, execution_url: bundle.inputData.execution_url }),
      ),
    sample: incidentSample,
    outputFields: [
      { key: 'id', label: 'Incident ID' },
      { key: 'source', label: 'Source' },
      { key: 'workflow', label: 'Zap Name' },
      { key: 'execution_url', label: 'Zap Run Link' },
      { key: 'message', label: 'Error Message' },
      { key: 'created_at', label: 'Reported At', type: 'datetime' },
    ],
  },
};
