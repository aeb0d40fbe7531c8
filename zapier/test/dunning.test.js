'use strict';

const assert = require('assert');
const { appTester, bundle, api, unique, App, signed } = require('./_env');

const perform = (op, inputData, meta) => appTester(op.operation.perform, bundle({ inputData, meta }));

// daysAgo returns the UTC day n days before today as YYYY-MM-DD.
const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);

// eventually retries check every 200 ms for up to 15 s until it returns a truthy value.
const eventually = async (check) => {
  for (let i = 0; i < 75; i++) {
    const value = await check();
    if (value) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('timed out');
};

describe('reminders, payment health and receivables', () => {
  let customer;
  let invoice;
  before(async () => {
    ({ body: customer } = await api('POST', '/v1/customers', { name: unique('Mahn AG'), external_id: unique('crm') }));
    // Issued 60 days ago, due 10 days later: its Zahlungserinnerung is due now.
    ({ body: invoice } = await api('POST', '/v1/invoices', {
      customer_id: customer.id,
      external_id: unique('deal'),
      currency: 'CHF',
      finalize: true,
      issue_date: daysAgo(60),
      due_in_days: 10,
      items: [{ description: 'Beratung', quantity: 2, unit_price: '500.00', vat_rate: 8.1 }],
    }));
  });

  it('finds the due reminder and fires Reminder Due with the CRM ids (polling and instant alike)', async () => {
    const due = await perform(App.searches.find_reminders, { status: 'due', customer_id: customer.id });
    assert.deepStrictEqual(due.map((r) => [r.id, r.status, r.level, r.title]), [[`${invoice.id}.1`, 'due', 1, 'Zahlungserinnerung']]);

    // The server's reminder job (every second under scripts/test-zapier.sh) announces it once.
    const item = await eventually(async () => {
      const items = await perform(App.triggers.invoice_reminder_due, {}, { limit: 100 });
      return items.find((it) => it.invoice_id === invoice.id);
    });
    assert.match(item.id, /^evt_/);
    assert.strictEqual(item.event_type, 'invoice.reminder_due');
    assert.strictEqual(item.reminder_id, `${invoice.id}.1`);
    assert.strictEqual(item.level, 1);
    assert.strictEqual(item.invoice_external_id, invoice.external_id);
    assert.strictEqual(item.customer_external_id, customer.external_id);
    const { body: feed } = await api('GET', '/v1/events?type=invoice.reminder_due&order=desc&limit=100');
    const event = feed.data.find((e) => e.id === item.id);
    const pushed = await appTester(App.triggers.invoice_reminder_due_instant.operation.perform, bundle(signed(event)));
    assert.deepStrictEqual(pushed, [item]);
  });

  it('sends the reminder once however often the step replays, and fires Reminder Sent and Payment Rating Changed', async () => {
    const input = { invoice_id: invoice.id, channel: 'post', note: 'Zap Mahnung' };
    const sent = await perform(App.creates.send_reminder, input);
    assert.match(sent.id, /^rem_/);
    assert.deepStrictEqual([sent.invoice_id, sent.level, sent.channel, sent.note], [invoice.id, 1, 'post', 'Zap Mahnung']);
    assert.ok(sent.interest > 0, 'interest for 50 days overdue');
    assert.deepStrictEqual(await perform(App.creates.send_reminder, { ...input }), sent);
    const { body: list } = await api('GET', `/v1/invoices/${invoice.id}/reminders`);
    assert.deepStrictEqual(list.data.map((r) => r.id), [sent.id]);

    const found = await perform(App.searches.find_reminders, { status: 'sent', customer_id: customer.id });
    assert.deepStrictEqual(found.map((r) => r.id), [sent.id]);
    const none = await perform(App.searches.find_reminders, { status: 'due', customer_id: customer.id });
    assert.deepStrictEqual(none, []);

    const [item] = await perform(App.triggers.reminder_sent, {}, { limit: 1 });
    assert.strictEqual(item.event_type, 'reminder.sent');
    assert.strictEqual(item.reminder_id, sent.id);
    assert.strictEqual(item.invoice_id, invoice.id);
    assert.strictEqual(item.total_due, sent.total_due);

    const ratings = await perform(App.triggers.payment_rating_changed, {}, { limit: 100 });
    const rating = ratings.find((it) => it.customer_id === customer.id);
    assert.ok(rating, 'no Payment Rating Changed for the customer');
    assert.match(rating.id, /^evt_/);
    assert.deepStrictEqual([rating.event_type, rating.external_id, rating.to], ['customer.payment_rating_changed', customer.external_id, 'watch']);
    assert.ok(rating.warnings.length > 0);
  });

  it("gets the customer's payment health and the receivables report, as today and as of a past day", async () => {
    const [health] = await perform(App.searches.find_payment_health, { customer_id: customer.id });
    const { body: direct } = await api('GET', `/v1/customers/${customer.id}/payment-health`);
    assert.deepStrictEqual(health, { id: customer.id, ...direct });
    assert.strictEqual(health.rating, 'watch');
    assert.strictEqual(health.currencies[0].max_reminder_level, 1);

    const [today] = await perform(App.searches.receivables_report, {});
    const { body: report } = await api('GET', '/v1/reports/receivables');
    assert.deepStrictEqual(today, { id: `receivables-${report.as_of}`, ...report });
    const chf = today.currencies.find((c) => c.currency === 'CHF');
    assert.ok(chf.aging['31_60'].count >= 1, 'the invoice 50 days overdue is in 31_60');

    const [before] = await perform(App.searches.receivables_report, { as_of: daysAgo(61) });
    assert.strictEqual(before.as_of, daysAgo(61));
    assert.ok(!before.currencies.some((c) => c.currency === 'CHF' && c.overdue_count >= today.currencies.find((x) => x.currency === 'CHF').overdue_count && c.outstanding >= chf.outstanding), 'the invoice counted before it was issued');
  });

  it('pauses and resumes dunning of the invoice and the customer', async () => {
    const paused = await perform(App.creates.set_invoice_dunning, { invoice_id: invoice.id, paused: 'true' });
    assert.deepStrictEqual([paused.id, paused.dunning_paused], [invoice.id, true]);
    await assert.rejects(perform(App.creates.send_reminder, { invoice_id: invoice.id, channel: 'email', level: 2, idempotency_key: unique('k') }), /paus/i);
    const resumed = await perform(App.creates.set_invoice_dunning, { invoice_id: invoice.id, paused: false });
    assert.strictEqual(resumed.dunning_paused, false);
    const [pausedEvent] = await perform(App.triggers.invoice_dunning_paused, {}, { limit: 1 });
    const [resumedEvent] = await perform(App.triggers.invoice_dunning_resumed, {}, { limit: 1 });
    assert.deepStrictEqual([pausedEvent.event_type, pausedEvent.invoice_id, pausedEvent.dunning_paused], ['invoice.dunning_paused', invoice.id, true]);
    assert.deepStrictEqual([resumedEvent.event_type, resumedEvent.invoice_id, resumedEvent.dunning_paused], ['invoice.dunning_resumed', invoice.id, false]);

    const customerPaused = await perform(App.creates.set_customer_dunning, { customer_id: customer.id, paused: true });
    assert.deepStrictEqual(customerPaused, { id: customer.id, customer_id: customer.id, dunning_paused: true });
    const { body: read } = await api('GET', `/v1/customers/${customer.id}/dunning`);
    assert.strictEqual(read.dunning_paused, true);
    const [customerEvent] = await perform(App.triggers.customer_dunning_paused, {}, { limit: 1 });
    assert.deepStrictEqual([customerEvent.event_type, customerEvent.customer_id], ['customer.dunning_paused', customer.id]);
    const report = await perform(App.searches.customer_report, { sort: 'overdue_desc', currency: 'CHF' });
    const mine = report.find((r) => r.customer_id === customer.id);
    assert.deepStrictEqual([mine.id, mine.currency, mine.overdue_count, mine.max_reminder_level, mine.dunning_paused], [`${customer.id}.CHF`, 'CHF', 1, 1, true]);
    assert.ok(report.every((r, i) => i === 0 || report[i - 1].overdue >= r.overdue), 'not most overdue first');
    const [summary] = await perform(App.searches.summary_report, { from: daysAgo(90), to: daysAgo(0), group_by: 'quarter' });
    const { body: direct } = await api('GET', `/v1/reports/summary?from=${daysAgo(90)}&to=${daysAgo(0)}&group_by=quarter`);
    assert.deepStrictEqual(summary, { id: `summary-${direct.from}-${direct.to}-quarter`, ...direct });
    assert.ok(summary.totals.find((t) => t.currency === 'CHF').invoiced_gross >= invoice.total, 'the invoice is not in the summary');
    await perform(App.creates.set_customer_dunning, { customer_id: customer.id, paused: 'no' });
  });

  it('refuses a reminder for an invoice that is not overdue, with the reason', async () => {
    const { body: fresh } = await api('POST', '/v1/invoices', {
      customer_id: customer.id, currency: 'CHF', finalize: true, items: [{ description: 'Neu', quantity: 1, unit_price: 10, vat_rate: 0 }],
    });
    await assert.rejects(perform(App.creates.send_reminder, { invoice_id: fresh.id, channel: 'email' }), /overdue/i);
  });
});
