'use strict';

// changes.js: what changed in a customer.updated event. The event carries
// the customer after the change; the customer before it is the snapshot of
// the previous customer.created or customer.updated event of the same
// customer, found by reading the feed backwards (at most maxPages pages).

const maxPages = 3;

// ignored are fields every change touches, or that are not the customer's.
const ignored = new Set(['updated_at', 'created_at', 'id', 'possible_duplicates']);

const same = (a, b) => JSON.stringify(a === undefined ? null : a) === JSON.stringify(b === undefined ? null : b);

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// diff returns the names of the fields that differ between before and after
// (nested objects as "address.city") and the previous values of those
// fields, nested as in the customer.
const diff = (before, after) => {
  const changed = [];
  const previous = {};
  const keys = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])].sort();
  for (const k of keys) {
    if (ignored.has(k) || same(before[k], after[k])) {
      continue;
    }
    if (isObject(before[k]) || isObject(after[k])) {
      const inner = diff(isObject(before[k]) ? before[k] : {}, isObject(after[k]) ? after[k] : {});
      changed.push(...inner.changed.map((n) => `${k}.${n}`));
      previous[k] = inner.previous;
    } else {
      changed.push(k);
      previous[k] = before[k] === undefined ? null : before[k];
    }
  }
  return { changed, previous };
};

// predecessors maps the id of each update event to the previous snapshot
// event of its customer. readPage(before) returns a desc feed page of
// customer.created and customer.updated events (before = a cursor, or
// undefined for the newest); first, when given, is that newest page read
// already.
const predecessors = async (updates, readPage, first) => {
  const found = {};
  const open = () => updates.filter((u) => !found[u.id]);
  let page = first || (await readPage());
  for (let n = 1; ; n++) {
    const events = page.data || [];
    for (const u of open()) {
      const prev = events.find((e) => e.seq < u.seq && e.data && u.data && e.data.id === u.data.id);
      if (prev) {
        found[u.id] = prev;
      }
    }
    if (open().length === 0 || !page.has_more || !page.next_cursor || n >= maxPages) {
      return found;
    }
    page = await readPage(page.next_cursor);
  }
};

// describe returns the fields a customer.updated trigger item adds: the
// changed field names, the previous values, and whether the previous
// snapshot was found at all.
const describe = (update, prev) => {
  if (!prev) {
    return { changed_fields: [], previous: {}, changes_known: false };
  }
  const { changed, previous } = diff(prev.data, update.data);
  return { changed_fields: changed, previous, changes_known: true };
};

module.exports = { diff, predecessors, describe, maxPages };
