'use strict';

// events.js: billbridge events as Zapier trigger items, and the polling and
// REST-hook triggers built on them.

const { resources, resourceOf, eventFields } = require('./fields');
const { canonical } = require('./http');
const { predecessors, describe } = require('./changes');
const { deliveryProblem } = require('./signature');

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

// readFeed reads one page of GET /v1/events. A poll sends the ETag of the
// last answer to the same query as If-None-Match: billbridge answers 304
// while nothing in the account changed, and the page kept with the ETag in
// Zapier's cache (z.cache, per connection, an hour) is the answer again, so
// every Zap on the connection gets the same items it would have got. The
// seeding poll and sample loading always read afresh. Without the cache
// (an error, a value too large) it simply reads the page.
const readFeed = async (z, bundle, params) => {
  const meta = bundle.meta || {};
  const key = `events:${bundle.authData.baseUrl}:${canonical(params)}`;
  const useCache = !meta.isPopulatingDedupe && !meta.isLoadingSample;
  let cached = null;
  if (useCache) {
    try {
      cached = await z.cache.get(key, ['auth']);
    } catch (err) {
      cached = null;
    }
  }
  const headers = cached && cached.etag ? { 'If-None-Match': cached.etag } : {};
  const response = await z.request({ url: '/v1/events', params, headers });
  if (response.status === 304 && cached) {
    return cached.body;
  }
  const body = response.data;
  const etag = response.headers && response.headers.get ? response.headers.get('etag') : null;
  if (useCache && etag) {
    try {
      await z.cache.set(key, { etag, body }, 3600, ['auth']);
    } catch (err) {
      // Too large or no cache: the next poll reads afresh.
    }
  }
  return body;
};

// customerChangeTypes are the events that hold a customer snapshot.
const customerChangeTypes = 'customer.created,customer.updated';

// withChanges turns customer.updated events into items that say what
// changed (lib/changes.js); first is the newest feed page of
// customerChangeTypes when the caller read it already.
const withChanges = async (z, bundle, updates, first) => {
  const readPage = (before) =>
    readFeed(z, bundle, { type: customerChangeTypes, limit: 100, order: 'desc', ...(before ? { before } : {}) });
  const prev = await predecessors(updates, readPage, first);
  return updates.map((u) => ({ ...flatten(u), ...describe(u, prev[u.id]) }));
};

// listEvents reads the newest events of one type, newest first, as items.
const listEvents = async (z, bundle, type) => {
  if (type === 'customer.updated') {
    const page = await readFeed(z, bundle, { type: customerChangeTypes, limit: 100, order: 'desc' });
    const updates = (page.data || []).filter((e) => e.type === type).slice(0, pollLimit(bundle.meta));
    return withChanges(z, bundle, updates, page);
  }
  const page = await readFeed(z, bundle, { type, limit: pollLimit(bundle.meta), order: 'desc' });
  return (page.data || []).map(flatten);
};

// hookEvent returns the event of a REST-hook delivery after checking its
// Standard Webhooks signature against the secret billbridge returned when
// the Zap subscribed. A delivery that fails the check stops as a HaltedError
// (shown in the Zap history, never replayed, never switching the Zap off),
// and its body is not used: the event is parsed from the signed raw body.
const hookEvent = (z, bundle) => {
  const secret = bundle.subscribeData && bundle.subscribeData.secret;
  const problem = deliveryProblem(secret, bundle.rawRequest);
  if (problem) {
    throw new z.errors.HaltedError(`Refused a delivery that is not proven to come from billbridge: ${problem}.`);
  }
  try {
    return JSON.parse(bundle.rawRequest.content);
  } catch (err) {
    throw new z.errors.HaltedError('Refused a signed delivery whose body is not JSON.');
  }
};

// changeFields label what a customer.updated item says about the change.
const changeFields = [
  { key: 'changed_fields', label: 'Changed Fields (e.g. email, address.city)', list: true },
  { key: 'changes_known', label: 'Changes Known (false when the previous version was too far back)', type: 'boolean' },
  ...['name', 'email', 'phone', 'contact_person', 'customer_number', 'external_id', 'vat_number', 'language', 'payment_terms_days'].map((k) => ({
    key: `previous__${k}`,
    label: `Previous ${k.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase())}`,
  })),
  ...['street', 'building_number', 'postal_code', 'city', 'country'].map((k) => ({
    key: `previous__address__${k}`,
    label: `Previous Address ${k.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase())}`,
  })),
];

const changeSample = {
  changed_fields: ['address.city', 'address.postal_code', 'phone'],
  changes_known: true,
  previous: { address: { city: 'Bern', postal_code: '3011' }, phone: '+41 31 111 11 11' },
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
  let outputFields = eventFields(resource);
  let sample = sampleEvent(type, 42);
  if (type === 'customer.updated') {
    outputFields = [...changeFields, ...outputFields];
    sample = { ...sample, ...changeSample };
  }
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
      perform: async (z, bundle) => {
        const event = hookEvent(z, bundle);
        if (event.type !== type) {
          return [];
        }
        return type === 'customer.updated' ? withChanges(z, bundle, [event]) : [flatten(event)];
      },
      performList: (z, bundle) => listEvents(z, bundle, type),
      sample,
      outputFields,
    },
  };
  return [polling, instant];
};

module.exports = { flatten, pollLimit, readFeed, listEvents, hookEvent, eventTriggers };
