'use strict';

// sync.js: the manual fallback and the alert mails of billbridge's sync
// health: Redeliver Hook (POST /v1/hooks/{id}/redeliver?after_seq=) and
// Update Alert Settings (PUT /v1/settings/alerts).

const { idempotencyKey } = require('../lib/http');
const { idempotencyField } = require('../lib/input');

// The most requests one Redeliver Hook makes while catching up (1000 events
// each), well inside Zapier's 30 s for a step.
const maxRedeliverRequests = 10;

const redeliverSample = { id: 'hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS', hook_id: 'hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS', after_seq: 1041, queued: 17, last_seq: 1058, has_more: false };

const redeliverHook = {
  key: 'redeliver_hook',
  noun: 'Hook',
  display: {
    label: 'Redeliver Hook',
    description:
      'Sends a webhook receiver the events it missed again, after the last one it has: the manual fallback after an outage, e.g. when Get Sync Health shows a failing hook or dropped deliveries.',
  },
  operation: {
    inputFields: [
      { key: 'hook_id', label: 'Hook ID', required: true, helpText: 'The hook whose receiver missed events, as Get Sync Health lists it under Hooks (hook_…).' },
      {
        key: 'after_seq',
        label: 'After Seq',
        type: 'integer',
        required: true,
        default: '0',
        helpText: "Replay the events after this seq: the seq of the last event the receiver has (in its last webhook's data). 0 replays everything.",
      },
      idempotencyField,
    ],
    // perform queues the events request after request while has_more (up to
    // 10,000 events), each request keyed by the step's key and its after_seq,
    // so a replayed step queues nothing twice.
    perform: async (z, bundle) => {
      const id = String(bundle.inputData.hook_id || '').trim();
      const key = idempotencyKey('redeliver_hook', bundle.inputData);
      let afterSeq = parseInt(bundle.inputData.after_seq, 10) || 0;
      let queued = 0;
      for (let n = 0; ; n++) {
        const response = await z.request({
          url: `/v1/hooks/${encodeURIComponent(id)}/redeliver`,
          method: 'POST',
          params: { after_seq: afterSeq },
          headers: { 'Idempotency-Key': `${key}:${afterSeq}` },
        });
        const answer = response.data;
        queued += Number(answer.queued || 0);
        if (!answer.has_more || typeof answer.last_seq !== 'number' || n + 1 >= maxRedeliverRequests) {
          return { id: answer.hook_id, ...answer, queued };
        }
        afterSeq = answer.last_seq;
      }
    },
    sample: redeliverSample,
    outputFields: [
      { key: 'hook_id', label: 'Hook ID' },
      { key: 'after_seq', label: 'After Seq (of the last request)', type: 'integer' },
      { key: 'queued', label: 'Deliveries Queued', type: 'integer' },
      { key: 'last_seq', label: 'Last Seq Read', type: 'integer' },
      { key: 'has_more', label: 'More Events Left', type: 'boolean' },
    ],
  },
};

const alertSettingsSample = { id: 'alert_settings', emails: ['owner@dupont.ch'], silence_hours: 24, no_api_call_hours: 48, updated_at: '2026-12-02T09:00:00Z' };

const alertSettingsOutput = [
  { key: 'emails', label: 'Alert Emails', list: true },
  { key: 'silence_hours', label: 'Silence Hours', type: 'integer' },
  { key: 'no_api_call_hours', label: 'Alert After Hours Without API Call', type: 'integer' },
  { key: 'updated_at', label: 'Updated At', type: 'datetime' },
];

const updateAlertSettings = {
  key: 'update_alert_settings',
  noun: 'Alert Settings',
  display: {
    label: 'Update Alert Settings',
    description: 'Sets who gets an email when the sync breaks (a failing hook, dropped deliveries, a reported error) and how often. Replaces the current settings.',
  },
  operation: {
    inputFields: [
      { key: 'emails', label: 'Alert Emails', list: true, helpText: 'Who gets the alert mails, at most 10. Leave empty for none.' },
      { key: 'silence_hours', label: 'Silence Hours', type: 'integer', default: '24', helpText: 'Hours an alert stays quiet after its mail while it keeps firing, 1–168.' },
      { key: 'no_api_call_hours', label: 'Alert After Hours Without API Call', type: 'integer', helpText: 'Alert when no API call arrived for this many hours, e.g. 48 for a daily Zap. Leave empty for no such alert.' },
    ],
    // perform sends the whole settings (PUT replaces them; a repeat sets the
    // same again, so no idempotency key is needed).
    perform: async (z, bundle) => {
      const input = bundle.inputData;
      const list = Array.isArray(input.emails) ? input.emails : String(input.emails || '').split(',');
      const hours = parseInt(input.no_api_call_hours, 10);
      const response = await z.request({
        url: '/v1/settings/alerts',
        method: 'PUT',
        body: {
          emails: list.map((e) => String(e).trim()).filter((e) => e !== ''),
          silence_hours: parseInt(input.silence_hours, 10) || 24,
          no_api_call_hours: Number.isInteger(hours) && hours > 0 ? hours : null,
        },
      });
      return { id: 'alert_settings', ...response.data };
    },
    sample: alertSettingsSample,
    outputFields: alertSettingsOutput,
  },
};

module.exports = { redeliverHook, updateAlertSettings, alertSettingsSample, alertSettingsOutput };
