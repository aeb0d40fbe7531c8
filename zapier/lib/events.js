'use strict';

// events.js: billbridge events as Zapier trigger items, and the polling and
// REST-hook triggers built on them.

const { resources, resourceOf, eventFields } = require('./fields');

// flatten turns an event {id, type, seq, occurred_at, data} into one trigger
// item: the event id stays `id` (unique per event, so an update fires again),
// the resource's fields sit beside it and its own id is exposed as
// customer_id, invoice_id or payment_id (a merge has no id of its own: its
// merged_id and primary_id stay as they are).
const flatten = (event) => {
  const resource = resourceOf(event.type);
  const { id: dataId, ...data } = event.data || {};
  const idKey = resources[resource] ? resources[resource].idKey : `${resource}_id`;
  const item = { ...data, id: event.id, event_type: event.type, seq: event.seq, occurred_at: event.occurred_at };
  if (dataId !== undefined) {
    item[idKey] = dataId;
  }
  return item;
};

// pollLimit is how many events one poll asks for: Zapier's limit when it
// gives one (capped at the API's 100), at most 3 while loading samples.
const pollLimit = (meta = {}) => {
  let limit = Number(meta.limit) > 0 ? Math.min(Number(meta.limit), 100) : 100;
  if (meta.isLoadingSample) {
    limit = Math.min(limit, 3);
  }
  return limit;
};

// listEvents reads the newest events of one type, newest first, as items.
const listEvents = async (z, bundle, type) => {
  const response = await z.request({
    url: '/v1/events',
    params: { type, limit: pollLimit(bundle.meta), order: 'desc' },
  });
  return (response.data.data || []).map(flatten);
};

const sampleEvent = (type, seq) => {
  const resource = resourceOf(type);
  return flatten({
    id: `evt_01J9Z8W0Y2A4C6E8G0J2L4N6${String(seq).padStart(2, '0')}`,
    type,
    seq,
    occurred_at: '2026-03-02T09:17:00.000Z',
    data: resources[resource].sample,
  });
};

// eventTriggers returns the polling trigger and its instant (REST hook)
// twin for one event type.
const eventTriggers = ({ key, type, noun, label, description }) => {
  const resource = resourceOf(type);
  const outputFields = eventFields(resource);
  const sample = sampleEvent(type, 42);
  const polling = {
    key,
    noun,
    display: { label, description: `${description} (checks every few minutes).` },
    operation: {
      type: 'polling',
      perform: (z, bundle) => listEvents(z, bundle, type),
      sample,
      outputFields,
    },
  };
  const instant = {
    key: `${key}_instant`,
    noun,
    display: { label: `${label} (Instant)`, description: `${description}, pushed by billbridge the moment it happens.` },
    operation: {
      type: 'hook',
      performSubscribe: async (z, bundle) => {
        const response = await z.request({
          url: '/v1/hooks',
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: { target_url: bundle.targetUrl, events: [type] },
        });
        return response.data;
      },
      performUnsubscribe: async (z, bundle) => {
        const id = bundle.subscribeData && bundle.subscribeData.id;
        if (!id) {
          throw new z.errors.Error('This Zap has no billbridge hook id to unsubscribe.', 'no_hook_id', 400);
        }
        await z.request({ url: `/v1/hooks/${encodeURIComponent(id)}`, method: 'DELETE' });
        return { id, deleted: true };
      },
      perform: (z, bundle) => {
        const event = bundle.cleanedRequest || {};
        return event.type === type ? [flatten(event)] : [];
      },
      performList: (z, bundle) => listEvents(z, bundle, type),
      sample,
      outputFields,
    },
  };
  return [polling, instant];
};

module.exports = { flatten, pollLimit, listEvents, eventTriggers };
