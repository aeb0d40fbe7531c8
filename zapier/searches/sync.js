'use strict';

// sync.js: billbridge's sync health and alert settings, as searches that
// always find one item: Get Sync Health (GET /v1/sync/health?window=) and
// Get Alert Settings (GET /v1/settings/alerts).

const { alertSettingsSample, alertSettingsOutput } = require('../creates/sync');

const syncHealth = {
  key: 'get_sync_health',
  noun: 'Sync Health',
  display: {
    label: 'Get Sync Health',
    description:
      'Gets how the sync is doing: API requests and errors, each webhook (healthy, failing, removed) with pending and dropped deliveries, incidents per week and the success rate.',
  },
  operation: {
    inputFields: [
      { key: 'window', label: 'Window', default: '7d', helpText: 'How far back to look: hours (24h) or days (7d), 1h to 90d.' },
    ],
    perform: async (z, bundle) => {
      const window = String(bundle.inputData.window || '').trim();
      const response = await z.request({ url: '/v1/sync/health', params: window ? { window } : {} });
      return [{ id: `sync_health_${response.data.window}`, ...response.data }];
    },
    sample: {
      id: 'sync_health_7d',
      window: '7d',
      since: '2026-11-25T09:00:00Z',
      success_rate: 0.9874,
      api: { requests: 1520, errors_4xx: 12, errors_5xx: 0, rate_limited: 3, last_request_at: '2026-12-02T08:59:12Z' },
      hooks: [
        {
          id: 'hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS', target_url: 'https://hooks.zapier.com/hooks/standard/1/abc/', status: 'failing',
          last_success_at: '2026-12-01T17:00:00Z', last_failure_at: '2026-12-02T08:55:00Z', consecutive_failures: 6, pending: 4, dropped: 0, success_rate: 0.91,
        },
      ],
      incidents_by_week: [{ week_start: '2026-11-30', incidents: 2 }],
    },
    outputFields: [
      { key: 'window', label: 'Window' },
      { key: 'since', label: 'Since', type: 'datetime' },
      { key: 'success_rate', label: 'Success Rate (0-1)', type: 'number' },
      { key: 'api__requests', label: 'API Requests', type: 'integer' },
      { key: 'api__errors_4xx', label: 'API Requests Refused (4xx)', type: 'integer' },
      { key: 'api__errors_5xx', label: 'API Requests Failed (5xx)', type: 'integer' },
      { key: 'api__rate_limited', label: 'API Requests Rate Limited (429)', type: 'integer' },
      { key: 'api__last_request_at', label: 'Last API Request At', type: 'datetime' },
      { key: 'hooks[]id', label: 'Hook ID' },
      { key: 'hooks[]target_url', label: 'Hook Target URL' },
      { key: 'hooks[]status', label: 'Hook Status (healthy, failing, removed)' },
      { key: 'hooks[]consecutive_failures', label: 'Hook Failures in a Row', type: 'integer' },
      { key: 'hooks[]pending', label: 'Hook Deliveries Pending', type: 'integer' },
      { key: 'hooks[]dropped', label: 'Hook Deliveries Dropped', type: 'integer' },
      { key: 'hooks[]last_success_at', label: 'Hook Last Success At', type: 'datetime' },
      { key: 'hooks[]last_failure_at', label: 'Hook Last Failure At', type: 'datetime' },
      { key: 'hooks[]success_rate', label: 'Hook Success Rate (0-1)', type: 'number' },
    ],
  },
};

const alertSettings = {
  key: 'get_alert_settings',
  noun: 'Alert Settings',
  display: {
    label: 'Get Alert Settings',
    description: 'Gets who gets an email when the sync breaks, and how often.',
  },
  operation: {
    inputFields: [],
    perform: async (z) => {
      const response = await z.request({ url: '/v1/settings/alerts' });
      return [{ id: 'alert_settings', ...response.data }];
    },
    sample: alertSettingsSample,
    outputFields: alertSettingsOutput,
  },
};

module.exports = [syncHealth, alertSettings];
