'use strict';

// live.test.js: every module, RPC, epoch, webhook and the connection of the
// Make app, evaluated with test/lib/iml.js and run against a live billbridge
// by test/lib/runner.js; the bundles that come out are checked.

const test = require('node:test');
const assert = require('node:assert');
const http = require('http');
const { loadApp } = require('./lib/app');
const { Runner } = require('./lib/runner');
const { env, client, unique } = require('./lib/live');

const app = loadApp();
const cfg = env();
const api = client(cfg.url, cfg.apiKey);
const runner = new Runner(app, { baseUrl: cfg.url, apiKey: cfg.apiKey });
const mod = (id) => app.components.module[id].code;
const names = (id) => mod(id).interface.map((f) => f.name);

// run executes a module's communication with the given parameters.
const run = (id, parameters, state) => runner.run(mod(id).communication, { parameters }, state);

const rejectsWith = async (promise, type, pattern) => {
  const err = await promise.then(() => assert.fail('no error'), (e) => e);
  assert.strictEqual(err.type, type, `${err.type}: ${err.message}`);
  if (pattern) assert.match(err.message, pattern);
  return err;
};

const sameKeys = (bundle, id) => {
  for (const k of Object.keys(bundle)) assert.ok(names(id).includes(k), `${id}: output ${k} is not in the interface`);
};

test('connection: GET /v1/me labels the connection; a wrong key is InvalidAccessTokenError', async () => {
  const conn = app.components.connection.billbridge.code.communication;
  const good = await runner.run(conn, { parameters: { baseUrl: cfg.url, apiKey: cfg.apiKey } }, undefined, { useBase: false });
  assert.strictEqual(good.metadata.value, cfg.accountName);
  assert.match(good.data.accountId, /^acct_/);
  await rejectsWith(
    runner.run(conn, { parameters: { baseUrl: cfg.url, apiKey: 'bb_wrong' } }, undefined, { useBase: false }),
    'InvalidAccessTokenError',
    /^The API key was not accepted/,
  );
});

test('actions: upsert, create, finalize, pay and deal won; replays create nothing new', async () => {
  const email = `${unique('make')}@example.ch`;
  const customerParams = { name: 'Make Test AG', email, kind: 'company', address: { city: 'Zug', country: 'CH' }, payment_terms_days: 20 };
  const [c1] = (await run('upsertCustomer', customerParams)).bundles;
  sameKeys(c1, 'upsertCustomer');
  assert.strictEqual(c1.created, true);
  assert.strictEqual(c1.address.city, 'Zug');
  const [c2] = (await run('upsertCustomer', { ...customerParams, phone: '+41 41 000 00 00' })).bundles;
  assert.strictEqual(c2.id, c1.id);
  assert.strictEqual(c2.matched_by, 'email');

  const invoiceParams = {
    customer_id: c1.id,
    currency: 'CHF',
    items: [{ description: 'Workshop', quantity: 2, unit_price: 600, vat_rate: 8.1 }],
    finalize: false,
  };
  const [i1] = (await run('createInvoice', invoiceParams)).bundles;
  const [i2] = (await run('createInvoice', invoiceParams)).bundles;
  sameKeys(i1, 'createInvoice');
  assert.strictEqual(i1.status, 'draft');
  assert.strictEqual(i1.total, 1297.2);
  assert.strictEqual(i2.id, i1.id, 'a replayed Create an Invoice made a second invoice');
  assert.strictEqual((await api('GET', `/v1/invoices?customer_id=${c1.id}`)).data.length, 1);
  const sentKeys = runner.requests.slice(-2).map((r) => r.headers['Idempotency-Key']);
  assert.match(sentKeys[0], /^make\.createInvoice\.[0-9a-f]{64}$/);
  assert.strictEqual(sentKeys[0], sentKeys[1]);

  const [f1] = (await run('finalizeInvoice', { invoice_id: i1.id })).bundles;
  assert.strictEqual(f1.status, 'open');
  assert.match(f1.number, /^INV-/);
  const [f2] = (await run('finalizeInvoice', { invoice_id: i1.id })).bundles;
  assert.deepStrictEqual(f2, f1);

  // issue_date dates invoices back, on create and on finalize.
  const [back] = (await run('createInvoice', { ...invoiceParams, finalize: true, due_in_days: 30, issue_date: '2025-01-15' })).bundles;
  assert.strictEqual(back.issue_date, '2025-01-15');
  assert.strictEqual(back.due_date, '2025-02-14');
  assert.strictEqual(back.status, 'overdue');
  const [draft] = (await run('createInvoice', { ...invoiceParams, reference: 'back-dated at finalize' })).bundles;
  const [fin] = (await run('finalizeInvoice', { invoice_id: draft.id, issue_date: '2025-03-01' })).bundles;
  assert.strictEqual(fin.issue_date, '2025-03-01');
  await rejectsWith(run('createInvoice', { ...invoiceParams, issue_date: '2999-01-01' }), 'DataError', /^\[422\] .*Invalid: .*issue_date/);

  const payParams = { invoice_id: i1.id, amount: 297.2, paid_at: '2026-03-10', method: 'bank_transfer', external_id: unique('bank') };
  const [p1] = (await run('recordPayment', payParams)).bundles;
  const [p2] = (await run('recordPayment', { ...payParams, idempotencyKey: unique('own') })).bundles;
  sameKeys(p1, 'recordPayment');
  assert.strictEqual(p2.id, p1.id, 'the same external id counted twice');
  const after = await api('GET', `/v1/invoices/${i1.id}`);
  assert.strictEqual(after.amount_paid, 297.2);
  assert.strictEqual(after.status, 'partially_paid');

  const dealParams = {
    deal_id: unique('deal'),
    customer: { name: 'Deal AG', external_id: unique('crm'), email: `${unique('deal')}@example.ch`, address: { city: 'Chur' } },
    currency: 'EUR',
    items: [{ description: 'Licence', quantity: 1, unit_price: 1000, vat_rate: 19 }],
    finalize: true,
  };
  const [d1] = (await run('dealWon', dealParams)).bundles;
  const [d2] = (await run('dealWon', dealParams)).bundles;
  sameKeys(d1, 'dealWon');
  assert.strictEqual(d1.created, true);
  assert.strictEqual(d1.invoice.status, 'open');
  assert.strictEqual(d1.invoice.external_id, dealParams.deal_id);
  assert.strictEqual(d1.customer.address.city, 'Chur');
  assert.strictEqual(d2.invoice.id, d1.invoice.id);
});

test('searches filter, honour limit and follow pagination', async () => {
  for (let n = 0; n < 151; n++) await api('POST', '/v1/customers', { name: unique('Page GmbH') });
  const all = (await run('searchCustomers', { limit: 150 })).bundles;
  assert.strictEqual(all.length, 150, 'pagination did not reach a second page');
  assert.strictEqual(new Set(all.map((c) => c.id)).size, 150, 'pages overlap');
  assert.ok(runner.requests.slice(-2)[1].url.includes('starting_after='), 'second page not asked with starting_after');
  assert.strictEqual((await run('searchCustomers', { limit: 7 })).bundles.length, 7);

  const cust = await api('POST', '/v1/customers', { name: unique('Find Me SA'), email: `${unique('f')}@example.ch`, customer_number: unique('K') });
  const byEmail = (await run('searchCustomers', { email: cust.email, limit: 10 })).bundles;
  assert.deepStrictEqual(byEmail.map((c) => c.id), [cust.id]);
  sameKeys(byEmail[0], 'searchCustomers');
  assert.deepStrictEqual((await run('searchCustomers', { customer_number: cust.customer_number, limit: 10 })).bundles.map((c) => c.id), [cust.id]);

  const mk = (extra) => api('POST', '/v1/invoices', { customer_id: cust.id, currency: 'CHF', items: [{ description: 'x', quantity: 1, unit_price: '5.00', vat_rate: 0 }], ...extra });
  const open = await mk({ finalize: true, external_id: unique('e') });
  await mk({}); // draft
  const unpaid = (await run('searchInvoices', { status: 'unpaid', customer_id: cust.id, limit: 10 })).bundles;
  assert.deepStrictEqual(unpaid.map((i) => i.id), [open.id]);
  sameKeys(unpaid[0], 'searchInvoices');
  assert.deepStrictEqual((await run('searchInvoices', { external_id: open.external_id, limit: 10 })).bundles.map((i) => i.id), [open.id]);
  assert.deepStrictEqual((await run('searchCustomers', { email: `${unique('none')}@example.ch`, limit: 10 })).bundles, []);
});

test('RPCs give dropdown options', async () => {
  const rpc = (id, parameters) => runner.run(app.components.rpc[id].code.communication, { parameters });
  for (let n = 0; n < 101; n++) await api('POST', '/v1/customers', { name: unique('Option AG') });
  const cust = await api('POST', '/v1/customers', { name: unique('Draft Owner AG') });
  const draft = await api('POST', '/v1/invoices', { customer_id: cust.id, currency: 'CHF', items: [{ description: 'x', quantity: 1, unit_price: '1.00', vat_rate: 0 }] });
  const customers = (await rpc('listCustomers', {})).bundles;
  assert.ok(customers.length > 100, 'listCustomers did not page');
  assert.ok(customers.every((o) => /^cus_/.test(o.value) && o.label.length > 0));
  const drafts = (await rpc('listInvoices', { status: 'draft' })).bundles;
  assert.ok(drafts.some((o) => o.value === draft.id), 'the new draft is not offered');
  for (const o of drafts) assert.strictEqual((await api('GET', `/v1/invoices/${o.value}`)).status, 'draft');
  assert.ok(drafts.every((o) => o.label.startsWith('Draft · ')));
});

test('polling triggers emit each new event once, oldest first, and the epoch lists where to start', async () => {
  const cust = await api('POST', '/v1/customers', { name: unique('Trigger AG') });
  const inv = await api('POST', '/v1/invoices', { customer_id: cust.id, currency: 'CHF', items: [{ description: 'x', quantity: 1, unit_price: '80.00', vat_rate: 8.1 }], finalize: true });
  const pay = await api('POST', `/v1/invoices/${inv.id}/payments`, { amount: inv.amount_due });
  await api('PATCH', `/v1/customers/${cust.id}`, { phone: '+41 58 000 00 00' });
  const expect = {
    watchNewCustomers: ['customer.created', 'customer_id', cust.id],
    watchUpdatedCustomers: ['customer.updated', 'customer_id', cust.id],
    watchNewInvoices: ['invoice.created', 'invoice_id', inv.id],
    watchFinalizedInvoices: ['invoice.finalized', 'invoice_id', inv.id],
    watchPaidInvoices: ['invoice.paid', 'invoice_id', inv.id],
    watchPayments: ['payment.received', 'payment_id', pay.id],
  };
  for (const [id, [type, idField, resourceId]] of Object.entries(expect)) {
    const state = { lastId: 0 }; // "All"
    const first = (await run(id, { limit: 1000 }, state)).bundles;
    assert.ok(first.length > 0, `${id}: nothing`);
    assert.ok(first.every((b) => b.event_type === type), `${id}: wrong event types`);
    assert.ok(first.every((b, i) => i === 0 || b.seq > first[i - 1].seq), `${id}: not oldest first`);
    const last = first[first.length - 1];
    assert.strictEqual(last[idField], resourceId, `${id}: newest bundle is not ours`);
    assert.strictEqual(state.lastId, last.seq);
    sameKeys(last, id);
    assert.deepStrictEqual((await run(id, { limit: 1000 }, state)).bundles, [], `${id}: re-emitted a seen event`);

    const epoch = await runner.run(mod(id).epoch, { parameters: {} });
    assert.ok(epoch.bundles.length > 0 && epoch.bundles.length <= 300, `${id}: epoch size ${epoch.bundles.length}`);
    assert.ok(epoch.bundles.every((e) => e.label && !Number.isNaN(Date.parse(e.date))), `${id}: epoch items need label and date`);
    assert.strictEqual(epoch.bundles[0].label.split(' ')[0], `#${last.seq}`, `${id}: epoch does not start at the newest`);
  }

  // New events after the state: only those, oldest first, at most `limit` per run.
  const state = { lastId: 0 };
  await run('watchNewCustomers', { limit: 1000 }, state);
  const fresh = [];
  for (let i = 0; i < 3; i++) fresh.push(await api('POST', '/v1/customers', { name: unique('Fresh AG') }));
  const run1 = (await run('watchNewCustomers', { limit: 2 }, state)).bundles;
  const run2 = (await run('watchNewCustomers', { limit: 2 }, state)).bundles;
  assert.deepStrictEqual(run1.map((b) => b.customer_id), [fresh[0].id, fresh[1].id]);
  assert.deepStrictEqual(run2.map((b) => b.customer_id), [fresh[2].id]);

  const overdue = (await run('watchOverdueInvoices', { limit: 10 }, { lastId: 0 })).bundles;
  assert.ok(overdue.every((b) => b.event_type === 'invoice.overdue'));
});

test('instant triggers: attach registers a hook, a delivery becomes one bundle, detach removes it', async () => {
  const received = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const hook = app.components.webhook.customerEvents.code;
    const webhook = { url: `http://127.0.0.1:${server.address().port}/make/hook` };
    const attached = await runner.run(hook.attach, { webhook, parameters: { events: ['customer.created'] } });
    assert.match(attached.data.hookId, /^hook_/);
    const listed = await api('GET', `/v1/hooks?target_url=${encodeURIComponent(webhook.url)}`);
    assert.deepStrictEqual(listed.data.map((h) => [h.id, h.events]), [[attached.data.hookId, ['customer.created']]]);

    const cust = await api('POST', '/v1/customers', { name: unique('Instant AG'), email: `${unique('i')}@example.ch` });
    let delivery;
    for (let i = 0; i < 300 && !delivery; i++) {
      delivery = received.find((e) => e.data && e.data.id === cust.id);
      if (!delivery) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(delivery, 'no delivery arrived');
    const { evaluate } = require('./lib/iml');
    const bundle = evaluate(hook.communication.output, { body: delivery }, app.functions);
    sameKeys(bundle, 'watchCustomerEvents');
    assert.strictEqual(bundle.event_id, delivery.id);
    assert.strictEqual(bundle.customer_id, cust.id);
    assert.strictEqual(bundle.email, cust.email);

    await runner.run(hook.detach, { webhook: { ...webhook, ...attached.data } });
    assert.deepStrictEqual((await api('GET', `/v1/hooks?target_url=${encodeURIComponent(webhook.url)}`)).data, []);
  } finally {
    server.close();
  }
});

test('duplicates: upsert answers possible_duplicates, both searches find the pair, a merge moves the invoice and fires customer.merged', async () => {
  const name = unique('Dupont');
  const [first] = (await run('upsertCustomer', { name: `${name} GmbH`, address: { postal_code: '8001', country: 'CH' } })).bundles;
  const [second] = (await run('upsertCustomer', { name: `GmbH  ${name}`, address: { postal_code: '8001', country: 'CH' } })).bundles;
  sameKeys(second, 'upsertCustomer');
  assert.deepStrictEqual(first.possible_duplicates, []);
  assert.deepStrictEqual(second.possible_duplicates.map((d) => d.id), [first.id]);
  assert.ok(second.possible_duplicates[0].reasons.includes('same_name'));

  const pair = [first.id, second.id].sort();
  const mine = (await run('searchCustomerDuplicates', { customer_id: second.id, min_score: 0.9, limit: 10 })).bundles;
  assert.deepStrictEqual(mine.map((p) => [p.a.id, p.b.id]), [pair]);
  sameKeys(mine[0], 'searchCustomerDuplicates');
  assert.ok(runner.requests.at(-1).url.includes(`/v1/customers/${second.id}/duplicates?min_score=0.9`));
  const all = (await run('searchDuplicates', { min_score: 0.85, limit: 1000 })).bundles;
  assert.ok(all.some((p) => p.a.id === pair[0] && p.b.id === pair[1]), 'the pair is not among the account-wide duplicates');
  sameKeys(all[0], 'searchDuplicates');

  const state = { lastId: 0 };
  await run('watchMergedCustomers', { limit: 1000 }, state);
  await api('POST', '/v1/invoices', { customer_id: second.id, currency: 'CHF', items: [{ description: 'x', quantity: 1, unit_price: '10.00', vat_rate: 0 }] });
  const [m1] = (await run('mergeCustomers', { primary_id: first.id, duplicate_id: second.id })).bundles;
  sameKeys(m1, 'mergeCustomers');
  assert.deepStrictEqual([m1.id, m1.merged_id, m1.merged_ids, m1.moved], [first.id, second.id, [second.id], { invoices: 1, payments: 0 }]);
  const [m2] = (await run('mergeCustomers', { primary_id: first.id, duplicate_id: second.id })).bundles;
  assert.deepStrictEqual(m2, m1);
  assert.deepStrictEqual((await run('searchCustomerDuplicates', { customer_id: first.id, min_score: 0.5, limit: 10 })).bundles, []);

  const events = (await run('watchMergedCustomers', { limit: 1000 }, state)).bundles;
  assert.strictEqual(events.length, 1, 'the merge was emitted more or less than once');
  sameKeys(events[0], 'watchMergedCustomers');
  assert.deepStrictEqual([events[0].event_type, events[0].primary_id, events[0].merged_id, events[0].moved], ['customer.merged', first.id, second.id, { invoices: 1, payments: 0 }]);
  const epoch = await runner.run(mod('watchMergedCustomers').epoch, { parameters: {} });
  assert.strictEqual(epoch.bundles[0].label.split(' ')[0], `#${events[0].seq}`);

  // The instant trigger maps the same event, delivered by a hook.
  const { evaluate } = require('./lib/iml');
  const feed = await api('GET', '/v1/events?type=customer.merged&order=desc&limit=1');
  const pushed = evaluate(app.components.webhook.customerEvents.code.communication.output, { body: feed.data[0] }, app.functions);
  sameKeys(pushed, 'watchCustomerEvents');
  assert.deepStrictEqual([pushed.event_id, pushed.primary_id, pushed.merged_id, pushed.moved], [events[0].event_id, first.id, second.id, { invoices: 1, payments: 0 }]);
  const options = app.components.webhook.customerEvents.code.params[0].options.map((o) => o.value);
  assert.ok(options.includes('customer.merged'));

  await rejectsWith(run('mergeCustomers', { primary_id: first.id, duplicate_id: first.id }), 'DataError', /^\[422\] .*duplicate_id/);
});

test('errors map to Make error types with the problem detail', async () => {
  const cust = await api('POST', '/v1/customers', { name: unique('Error AG') });
  const err = await rejectsWith(
    run('createInvoice', { customer_id: cust.id, currency: 'USD', items: [{ description: 'x', quantity: 1, unit_price: 1, vat_rate: 0 }] }),
    'DataError',
    /^\[422\] .*Invalid: .*currency/,
  );
  assert.strictEqual(err.statusCode, 422);
  await rejectsWith(run('finalizeInvoice', { invoice_id: 'inv_doesnotexist' }), 'DataError', /^\[404\]/);

  const wrong = new Runner(app, { baseUrl: cfg.url, apiKey: 'bb_wrong' });
  await rejectsWith(wrong.run(mod('searchCustomers').communication, { parameters: { limit: 1 } }), 'InvalidAccessTokenError', /^\[401\]/);

  const limited = new Runner(app, { baseUrl: cfg.limitedUrl, apiKey: cfg.limitedKey });
  let rateErr;
  for (let i = 0; i < 50 && !rateErr; i++) {
    await limited.run(mod('searchCustomers').communication, { parameters: { limit: 1 } }).catch((e) => {
      rateErr = e;
    });
  }
  assert.ok(rateErr, 'no 429 within 50 requests');
  assert.strictEqual(rateErr.type, 'RateLimitError', rateErr.message);

  // billbridge cannot be made to fail with 5xx on purpose, so the base's
  // error directive is evaluated against the 5xx answers it would map.
  const { mapError } = require('./lib/runner');
  for (const statusCode of [500, 502, 503, 504, 507]) {
    const e = mapError(app.base.response.error, { statusCode, body: { title: 'Down', detail: 'db' }, headers: {} }, app.functions);
    assert.strictEqual(e.type, 'ConnectionError', String(statusCode));
  }
  const e418 = mapError(app.base.response.error, { statusCode: 418, body: { title: 'Teapot' }, headers: {} }, app.functions);
  assert.deepStrictEqual([e418.type, e418.message], ['RuntimeError', '[418] Teapot']);
});

// camt054 is a camt.054.001.04 notification of booked credits [ref, reference, amount].
const camt054 = (msgId, credits) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>${msgId}</MsgId><CreDtTm>2026-11-28T19:30:47</CreDtTm></GrpHdr><Ntfctn><Id>${msgId}</Id>
${credits.map(([ref, reference, amount]) => `<Ntry><Amt Ccy="CHF">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-11-28</Dt></BookgDt><AcctSvcrRef>${ref}</AcctSvcrRef><NtryDtls><TxDtls><Amt Ccy="CHF">${amount}</Amt>
${reference ? `<RmtInf><Strd><CdtrRefInf><Ref>${reference}</Ref></CdtrRefInf></Strd></RmtInf>` : ''}</TxDtls></NtryDtls></Ntry>`).join('\n')}
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;

test('files: the invoice PDF and QR-bill come out as Make files; a bank file records each credit once', async () => {
  await api('PUT', '/v1/settings/qr-bill', {
    iban: 'CH5800791123000889012', reference_type: 'scor', language: 'de',
    creditor: { name: 'Robert Schneider AG', street: 'Rue du Lac', building_number: '1268', postal_code: '2501', city: 'Biel', country: 'CH' },
  });
  const cust = await api('POST', '/v1/customers', {
    name: unique('Pia Rutschmann'), address: { street: 'Marktgasse', building_number: '28', postal_code: '9400', city: 'Rorschach', country: 'CH' },
  });
  const inv = await api('POST', '/v1/invoices', {
    customer_id: cust.id, currency: 'CHF', finalize: true, items: [{ description: 'Work', quantity: 1, unit_price: 250, vat_rate: 0 }],
  });
  assert.match(inv.payment_reference, /^RF/);

  const [pdf] = (await run('getInvoicePdf', { invoice_id: inv.id, lang: 'fr' })).bundles;
  sameKeys(pdf, 'getInvoicePdf');
  assert.ok(Buffer.isBuffer(pdf.data));
  assert.strictEqual(pdf.data.subarray(0, 5).toString(), '%PDF-');
  assert.strictEqual(pdf.fileName, `${inv.number}.pdf`);
  assert.strictEqual(runner.requests.at(-1).url, `${cfg.url}/v1/invoices/${inv.id}/pdf?lang=fr`);

  const [png] = (await run('getInvoiceQrBill', { invoice_id: inv.id, format: 'png' })).bundles;
  assert.deepStrictEqual([...png.data.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.strictEqual(png.fileName, `${inv.number}-qr-bill.png`);
  const [txt] = (await run('getInvoiceQrBill', { invoice_id: inv.id, format: 'txt' })).bundles;
  const payload = txt.data.toString('utf8').split('\n');
  assert.deepStrictEqual([payload[0], payload[18], payload[27], payload[28]], ['SPC', '250.00', 'SCOR', inv.payment_reference]);
  await rejectsWith(run('getInvoicePdf', { invoice_id: 'inv_unknown' }), 'DataError', /^\[404\]/);

  const file = { fileName: 'camt054.xml', data: Buffer.from(camt054(unique('msg'), [[unique('bank'), inv.payment_reference, '250.00'], [unique('bank'), '', '9.00']])) };
  const [r1] = (await run('importBankStatement', file)).bundles;
  sameKeys(r1, 'importBankStatement');
  assert.strictEqual(r1.kind, 'camt.054');
  assert.deepStrictEqual(r1.matched.map((m) => [m.invoice_id, m.amount]), [[inv.id, 250]]);
  assert.deepStrictEqual(r1.unmatched.map((m) => m.reason), ['no_reference']);
  assert.match(runner.requests.at(-1).headers['Idempotency-Key'], /^[0-9a-f]{64}$/);
  // Imported again under another key: nothing is recorded twice.
  const [r2] = (await run('importBankStatement', { ...file, idempotencyKey: unique('own') })).bundles;
  assert.strictEqual(r2.matched.length, 0);
  assert.deepStrictEqual(r2.already_recorded.map((m) => m.payment_id), [r1.matched[0].payment_id]);
  assert.strictEqual((await api('GET', `/v1/invoices/${inv.id}`)).status, 'paid');
  assert.strictEqual((await api('GET', `/v1/invoices/${inv.id}/payments`)).data.length, 1);
  await rejectsWith(run('importBankStatement', { fileName: 'x.xml', data: Buffer.from('<!DOCTYPE d []><Document/>') }), 'DataError', /^\[422\] .*Invalid: file/);
});

// daysAgo returns the UTC day n days before today as YYYY-MM-DD.
const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);

test('reminders: due search, Watch Reminders Due, Send a Reminder once, Watch Reminders Sent and Payment Rating Changes, health, receivables, dunning pause', async () => {
  const { evaluate } = require('./lib/iml');
  const cust = await api('POST', '/v1/customers', { name: unique('Mahn AG'), external_id: unique('crm') });
  // Issued 60 days ago, due 10 days later: its Zahlungserinnerung is due now.
  const inv = await api('POST', '/v1/invoices', {
    customer_id: cust.id, external_id: unique('deal'), currency: 'CHF', finalize: true, issue_date: daysAgo(60), due_in_days: 10,
    items: [{ description: 'Beratung', quantity: 2, unit_price: '500.00', vat_rate: 8.1 }],
  });
  const due = (await run('searchReminders', { status: 'due', customer_id: cust.id, limit: 10 })).bundles;
  assert.deepStrictEqual(due.map((r) => [r.id, r.status, r.level]), [[`${inv.id}.1`, 'due', 1]]);
  sameKeys(due[0], 'searchReminders');

  // The server's reminder job (every second under scripts/test-make.sh) announces it once.
  let announced;
  for (let i = 0; i < 75 && !announced; i++) {
    announced = (await run('watchRemindersDue', { limit: 1000 }, { lastId: 0 })).bundles.find((b) => b.invoice_id === inv.id);
    if (!announced) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(announced, 'no invoice.reminder_due for the invoice');
  sameKeys(announced, 'watchRemindersDue');
  assert.deepStrictEqual([announced.event_type, announced.reminder_id, announced.level, announced.invoice_external_id, announced.customer_external_id],
    ['invoice.reminder_due', `${inv.id}.1`, 1, inv.external_id, cust.external_id]);
  const hook = app.components.webhook.reminderEvents.code;
  const dueEvent = (await api('GET', '/v1/events?type=invoice.reminder_due&order=desc&limit=100')).data.find((e) => e.id === announced.event_id);
  const pushedDue = evaluate(hook.communication.output, { body: dueEvent }, app.functions);
  sameKeys(pushedDue, 'watchReminderEvents');
  assert.deepStrictEqual(pushedDue, announced, 'the instant trigger maps the event otherwise');

  const sentState = { lastId: 0 };
  await run('watchRemindersSent', { limit: 1000 }, sentState);
  const params = { invoice_id: inv.id, channel: 'post', note: 'Make Mahnung' };
  const [r1] = (await run('sendReminder', params)).bundles;
  sameKeys(r1, 'sendReminder');
  assert.match(r1.id, /^rem_/);
  assert.deepStrictEqual([r1.invoice_id, r1.level, r1.channel, r1.note, r1.status], [inv.id, 1, 'post', 'Make Mahnung', 'sent']);
  assert.ok(r1.interest > 0);
  const [r2] = (await run('sendReminder', params)).bundles;
  assert.deepStrictEqual(r2, r1, 'a replayed Send a Reminder answered otherwise');
  assert.deepStrictEqual((await api('GET', `/v1/invoices/${inv.id}/reminders`)).data.map((r) => r.id), [r1.id]);

  const sent = (await run('watchRemindersSent', { limit: 1000 }, sentState)).bundles;
  assert.deepStrictEqual(sent.map((b) => [b.event_type, b.reminder_id, b.total_due]), [['reminder.sent', r1.id, r1.total_due]]);
  sameKeys(sent[0], 'watchRemindersSent');
  // Overdue (the job) or reminded, the customer went from insufficient_data to watch once.
  const ratings = (await run('watchPaymentRatingChanges', { limit: 1000 }, { lastId: 0 })).bundles.filter((b) => b.customer_id === cust.id);
  assert.deepStrictEqual(ratings.map((b) => [b.event_type, b.external_id, b.to]), [['customer.payment_rating_changed', cust.external_id, 'watch']]);
  sameKeys(ratings[0], 'watchPaymentRatingChanges');
  assert.ok(ratings[0].warnings.length > 0);
  const ratingEvent = (await api('GET', '/v1/events?type=customer.payment_rating_changed&order=desc&limit=100')).data.find((e) => e.id === ratings[0].event_id);
  const pushedRating = evaluate(app.components.webhook.customerEvents.code.communication.output, { body: ratingEvent }, app.functions);
  sameKeys(pushedRating, 'watchCustomerEvents');
  assert.deepStrictEqual([pushedRating.customer_id, pushedRating.external_id, pushedRating.from, pushedRating.to], [cust.id, cust.external_id, ratings[0].from, 'watch']);
  assert.deepStrictEqual((await run('searchReminders', { status: 'sent', customer_id: cust.id, limit: 10 })).bundles.map((r) => r.id), [r1.id]);

  const [health] = (await run('getPaymentHealth', { customer_id: cust.id })).bundles;
  sameKeys(health, 'getPaymentHealth');
  assert.deepStrictEqual(health, await api('GET', `/v1/customers/${cust.id}/payment-health`));
  assert.deepStrictEqual([health.rating, health.currencies[0].max_reminder_level], ['watch', 1]);
  const [report] = (await run('getReceivables', {})).bundles;
  sameKeys(report, 'getReceivables');
  assert.deepStrictEqual(report, await api('GET', '/v1/reports/receivables'));
  const [past] = (await run('getReceivables', { as_of: daysAgo(61) })).bundles;
  assert.strictEqual(past.as_of, daysAgo(61));
  assert.ok(runner.requests.at(-1).url.endsWith(`/v1/reports/receivables?as_of=${daysAgo(61)}`));

  const [paused] = (await run('setInvoiceDunning', { invoice_id: inv.id, paused: true })).bundles;
  sameKeys(paused, 'setInvoiceDunning');
  assert.deepStrictEqual([paused.id, paused.dunning_paused], [inv.id, true]);
  await rejectsWith(run('sendReminder', { ...params, level: 2 }), 'DuplicateDataError', /^\[409\] .*paused/);
  const [resumed] = (await run('setInvoiceDunning', { invoice_id: inv.id, paused: false })).bundles;
  assert.strictEqual(resumed.dunning_paused, false);
  const [custPaused] = (await run('setCustomerDunning', { customer_id: cust.id, paused: true })).bundles;
  sameKeys(custPaused, 'setCustomerDunning');
  assert.deepStrictEqual(custPaused, { customer_id: cust.id, dunning_paused: true });
  assert.deepStrictEqual((await run('searchReminders', { status: 'due', customer_id: cust.id, limit: 10 })).bundles, []);
  const owed = (await run('searchCustomerReport', { sort: 'overdue_desc', currency: 'CHF', limit: 1000 })).bundles;
  sameKeys(owed[0], 'searchCustomerReport');
  const mine = owed.find((r) => r.customer_id === cust.id);
  assert.deepStrictEqual([mine.currency, mine.overdue_count, mine.max_reminder_level, mine.dunning_paused], ['CHF', 1, 1, true]);
  assert.ok(owed.every((r, i) => i === 0 || owed[i - 1].overdue >= r.overdue), 'not most overdue first');
  const [summary] = (await run('getSummary', { from: daysAgo(90), to: daysAgo(0), group_by: 'quarter' })).bundles;
  sameKeys(summary, 'getSummary');
  assert.deepStrictEqual(summary, await api('GET', `/v1/reports/summary?from=${daysAgo(90)}&to=${daysAgo(0)}&group_by=quarter`));
  assert.ok(summary.totals.find((t) => t.currency === 'CHF').invoiced_gross >= inv.total, 'the invoice is not in the summary');
  for (const [hook, type] of [['customerEvents', 'customer.dunning_paused'], ['invoiceEvents', 'invoice.dunning_resumed']]) {
    assert.ok(app.components.webhook[hook].code.params[0].options.some((o) => o.value === type), `${hook}: no ${type}`);
  }
  const pausedEvent = (await api('GET', '/v1/events?type=customer.dunning_paused&order=desc&limit=1')).data[0];
  const pushedPause = evaluate(app.components.webhook.customerEvents.code.communication.output, { body: pausedEvent }, app.functions);
  assert.deepStrictEqual([pushedPause.event_type, pushedPause.customer_id, pushedPause.dunning_paused], ['customer.dunning_paused', cust.id, true]);
  await run('setCustomerDunning', { customer_id: cust.id, paused: false });
});

test('files: customers and invoices imported from CSV (dry run, replay, atomic), records exported as CSV and XLSX', async () => {
  const crm = unique('crm');
  const kunden = { fileName: 'kunden.csv', data: Buffer.from(`\ufeffFirma;E-Mail;PLZ;Ort;Land;Externe ID\r\nImport AG;ap@${crm}.example;8001;Zürich;Schweiz;${crm}-1\r\nZweite GmbH;;3011;Bern;CH;${crm}-2\r\n`, 'utf8') };
  const [dry] = (await run('importCustomers', { ...kunden, dry_run: true })).bundles;
  sameKeys(dry, 'importCustomers');
  assert.deepStrictEqual([dry.dry_run, dry.summary.created], [true, 2]);
  assert.ok(runner.requests.at(-1).url.endsWith('/v1/imports/customers?dry_run=true'));
  assert.deepStrictEqual((await api('GET', `/v1/customers?external_id=${crm}-1`)).data, []);
  const dryKey = runner.requests.at(-1).headers['Idempotency-Key'];
  assert.match(dryKey, /^[0-9a-f]{64}\.dry-run$/);
  // The same file without dry run: a key of its own, so the dry run's report is not replayed.
  const [done] = (await run('importCustomers', kunden)).bundles;
  assert.strictEqual(runner.requests.at(-1).headers['Idempotency-Key'], dryKey.replace('.dry-run', ''));
  assert.deepStrictEqual(done.rows.map((r) => r.result), ['created', 'created']);
  const made = (await api('GET', `/v1/customers?external_id=${crm}-1`)).data[0];
  assert.deepStrictEqual([made.id, made.name, made.address.country], [done.rows[0].id, 'Import AG', 'CH']);
  // A re-run of the bundle replays the report; the file imported again under another key matches every row.
  assert.deepStrictEqual((await run('importCustomers', kunden)).bundles, [done]);
  const [again] = (await run('importCustomers', { ...kunden, idempotencyKey: unique('again') })).bundles;
  assert.deepStrictEqual(again.rows.map((r) => [r.result, r.id]), done.rows.map((r) => ['matched', r.id]));

  const rechnungen = { fileName: 'rechnungen.csv', data: Buffer.from(`Externe Kunden-ID;Rechnungsnummer;Externe ID;Rechnungsdatum;Status;Beschreibung;Menge;Preis;MWST-Satz\r\n${crm}-1;ALT-${crm};${crm}-inv;2026-09-01;offen;Beratung;2;1'000.00;8.1\r\n${crm}-1;ALT-${crm};${crm}-inv;2026-09-01;offen;Spesen;1;50,00;0\r\n`, 'utf8') };
  const [inv] = (await run('importInvoices', { ...rechnungen, atomic: true })).bundles;
  sameKeys(inv, 'importInvoices');
  assert.deepStrictEqual(inv.rows.map((r) => r.result), ['created', 'created']);
  const imported = await api('GET', `/v1/invoices/${inv.rows[0].id}`);
  assert.deepStrictEqual([imported.number, imported.issue_date, imported.total], [`ALT-${crm}`, '2026-09-01', 2212]);
  const bad = { fileName: 'bad.csv', data: Buffer.from(`Externe Kunden-ID;Beschreibung;Menge;Preis\r\n${crm}-1;Gut;1;10\r\n${crm}-404;Niemand;1;10\r\n`, 'utf8') };
  await rejectsWith(run('importInvoices', { ...bad, atomic: true }), 'DataError', /^\[422\]/);

  const [csv] = (await run('exportRecords', { file: 'invoices.csv', lang: 'de' })).bundles;
  sameKeys(csv, 'exportRecords');
  assert.match(csv.fileName, /^invoices-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.ok(csv.data.toString('utf8').includes(`ALT-${crm}`), 'the imported invoice is not in the export');
  assert.ok(runner.requests.at(-1).url.endsWith('/v1/exports/invoices.csv?lang=de'));
  // The Excel profile and the status filter: the open imported invoice is in the unpaid export, not in the paid one.
  const [excel] = (await run('exportRecords', { file: 'invoices.csv', profile: 'excel', status: 'unpaid' })).bundles;
  assert.ok(runner.requests.at(-1).url.endsWith('/v1/exports/invoices.csv?profile=excel&status=unpaid'));
  const excelText = excel.data.toString('utf8');
  assert.ok(excelText.startsWith('\ufeff') && excelText.includes(';') && excelText.includes(`ALT-${crm}`), 'not the Excel profile, or the unpaid invoice is missing');
  const [paid] = (await run('exportRecords', { file: 'invoices.xlsx', status: 'paid' })).bundles;
  assert.ok(runner.requests.at(-1).url.endsWith('/v1/exports/invoices.xlsx?status=paid'));
  assert.strictEqual(paid.data.subarray(0, 2).toString('latin1'), 'PK');
  const [paidCsv] = (await run('exportRecords', { file: 'invoices.csv', status: 'paid' })).bundles;
  assert.ok(!paidCsv.data.toString('utf8').includes(`ALT-${crm}`), 'the open invoice is in the paid export');
  const [xlsx] = (await run('exportRecords', { file: 'customers.xlsx' })).bundles;
  assert.match(xlsx.fileName, /^customers-\d{4}-\d{2}-\d{2}\.xlsx$/);
  assert.strictEqual(xlsx.data.subarray(0, 2).toString('latin1'), 'PK');
});

test('customers: Update a Customer changes only the fields given; the upsert and the update apply a change back (A → B → A)', async () => {
  const email = `${unique('upd')}@example.ch`;
  const [c] = (await run('upsertCustomer', { name: 'Update Me AG', email, phone: '+41 31 111 11 11', address: { city: 'Bern', country: 'CH' } })).bundles;
  const [u] = (await run('updateCustomer', { customer_id: c.id, phone: '+41 31 222 22 22', address: { city: 'Thun' } })).bundles;
  sameKeys(u, 'updateCustomer');
  assert.strictEqual(u.id, c.id);
  assert.strictEqual(u.phone, '+41 31 222 22 22');
  assert.strictEqual(u.email, email);
  assert.strictEqual(u.name, 'Update Me AG');
  assert.strictEqual(u.address.city, 'Thun');
  assert.strictEqual(runner.requests[runner.requests.length - 1].method, 'PATCH');
  assert.strictEqual(runner.requests[runner.requests.length - 1].headers['Idempotency-Key'], undefined);
  await run('updateCustomer', { customer_id: c.id, phone: '+41 31 111 11 11' });
  const [back] = (await run('updateCustomer', { customer_id: c.id, phone: '+41 31 222 22 22' })).bundles;
  assert.strictEqual(back.phone, '+41 31 222 22 22');
  await run('upsertCustomer', { name: 'Update Me AG', email, phone: '+41 31 333 33 33' });
  const [aba] = (await run('upsertCustomer', { name: 'Update Me AG', email, phone: '+41 31 222 22 22' })).bundles;
  assert.strictEqual(aba.phone, '+41 31 222 22 22');
  await rejectsWith(run('updateCustomer', { customer_id: 'cus_01J9Z8Q4W6Y2XKQ3V5N7M8P0ZZ', phone: '1' }), 'DataError', /^\[404\]/);
});

test('Report a Sync Error records a make incident once, however often the run replays', async () => {
  const params = { message: `[422] currency (${unique('run')})`, workflow: 'CRM deal won → invoice', execution_url: 'https://eu1.make.com/1/scenarios/2/logs' };
  const [a] = (await run('reportSyncError', params)).bundles;
  const [b] = (await run('reportSyncError', params)).bundles;
  sameKeys(a, 'reportSyncError');
  assert.match(a.id, /^inc_/);
  assert.strictEqual(a.source, 'make');
  assert.strictEqual(b.id, a.id);
  await rejectsWith(run('reportSyncError', { message: 'x', execution_url: 'not a link' }), 'DataError', /execution_url/);
});

test('Make an API Call reaches any endpoint with the connection, and only billbridge', async () => {
  const [me] = (await run('makeApiCall', { url: '/v1/me', method: 'GET' })).bundles;
  sameKeys(me, 'makeApiCall');
  assert.strictEqual(me.statusCode, 200);
  assert.strictEqual(me.body.name, cfg.accountName);
  const name = unique('Universal AG');
  const headers = [{ key: 'Content-Type', value: 'application/json' }, { key: 'Idempotency-Key', value: unique('key') }];
  const [made] = (await run('makeApiCall', { url: 'v1/customers', method: 'POST', headers, body: { name } })).bundles;
  const [again] = (await run('makeApiCall', { url: '/v1/customers', method: 'POST', headers, body: { name } })).bundles;
  assert.strictEqual(made.statusCode, 201);
  assert.strictEqual(again.body.id, made.body.id);
  const [found] = (await run('makeApiCall', { url: '/v1/customers', method: 'GET', qs: [{ key: 'q', value: name }] })).bundles;
  assert.deepStrictEqual(found.body.data.map((c) => c.id), [made.body.id]);
  // An absolute URL typed by the user still goes to the connection's billbridge.
  await rejectsWith(run('makeApiCall', { url: 'https://example.com/v1/me', method: 'GET' }), 'DataError', /^\[404\]/);
  assert.ok(runner.requests[runner.requests.length - 1].url.startsWith(`${cfg.url}/`));
});

test('Get Sync Health, Update and Get Alert Settings, Redeliver a Hook', async () => {
  const [health] = (await run('getSyncHealth', { window: '24h' })).bundles;
  sameKeys(health, 'getSyncHealth');
  assert.strictEqual(health.window, '24h');
  assert.ok(health.api.requests >= 1);
  assert.ok(Array.isArray(health.hooks) && Array.isArray(health.incidents_by_week));
  await rejectsWith(run('getSyncHealth', { window: 'a week' }), 'DataError', /window/);

  const [set] = (await run('updateAlertSettings', { emails: ['owner@dupont.example', 'books@dupont.example'], silence_hours: 12, no_api_call_hours: 48 })).bundles;
  sameKeys(set, 'updateAlertSettings');
  assert.deepStrictEqual([set.emails, set.silence_hours, set.no_api_call_hours], [['owner@dupont.example', 'books@dupont.example'], 12, 48]);
  const [got] = (await run('getAlertSettings', {})).bundles;
  assert.deepStrictEqual(got, set);
  const [cleared] = (await run('updateAlertSettings', {})).bundles;
  assert.deepStrictEqual([cleared.emails, cleared.silence_hours, cleared.no_api_call_hours], [[], 24, null]);

  // A receiver gets customer.created; a redelivery after the seq before it
  // sends it once more (same webhook-id), and a replayed run queues nothing.
  const received = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ id: req.headers['webhook-id'], body: JSON.parse(body) });
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const hook = await api('POST', '/v1/hooks', { target_url: `http://127.0.0.1:${server.address().port}/make`, events: ['customer.created'] });
    const customer = await api('POST', '/v1/customers', { name: unique('Redeliver AG') });
    const waitFor = async (check, what) => {
      for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(check(), `gave up waiting for ${what}`);
    };
    await waitFor(() => received.some((d) => d.body.data.id === customer.id), 'the first delivery');
    const event = received.find((d) => d.body.data.id === customer.id);
    const params = { hook_id: hook.id, after_seq: event.body.seq - 1 };
    const [first] = (await run('redeliverHook', params)).bundles;
    sameKeys(first, 'redeliverHook');
    assert.deepStrictEqual([first.hook_id, first.queued, first.has_more], [hook.id, 1, false]);
    await waitFor(() => received.filter((d) => d.id === event.id).length === 2, 'the redelivery');
    const [again] = (await run('redeliverHook', params)).bundles;
    assert.deepStrictEqual(again, first);
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(received.filter((d) => d.id === event.id).length, 2, 'a replayed run redelivered again');
    await api('DELETE', `/v1/hooks/${hook.id}`);
  } finally {
    server.close();
  }
});
