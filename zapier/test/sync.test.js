'use strict';

const assert = require('assert');
const http = require('http');
const { appTester, bundle, api, unique, App } = require('./_env');

const search = (key, inputData = {}) => appTester(App.searches[key].operation.perform, bundle({ inputData }));
const create = (key, inputData = {}) => appTester(App.creates[key].operation.perform, bundle({ inputData }));

describe('Get Sync Health', () => {
  it("answers one item with the window's API counts, hooks and success rate", async () => {
    await api('GET', '/v1/me');
    const [health] = await search('get_sync_health', { window: '24h' });
    assert.strictEqual(health.window, '24h');
    assert.ok(health.api.requests >= 1, JSON.stringify(health.api));
    assert.ok(Array.isArray(health.hooks));
    assert.ok(Array.isArray(health.incidents_by_week));
    assert.strictEqual(health.id, 'sync_health_24h');
  });

  it('stops naming the window when it is not one billbridge reads', async () => {
    const err = await search('get_sync_health', { window: 'a week' }).then(
      () => assert.fail('no error'),
      (e) => e,
    );
    assert.match(err.message, /window/);
  });
});

describe('Update and Get Alert Settings', () => {
  it('replaces the settings and reads them back; empty hours turn the silence alert off', async () => {
    const set = await create('update_alert_settings', { emails: ['owner@dupont.example', ' bookkeeping@dupont.example '], silence_hours: '12', no_api_call_hours: '48' });
    assert.deepStrictEqual(set.emails, ['owner@dupont.example', 'bookkeeping@dupont.example']);
    assert.strictEqual(set.silence_hours, 12);
    assert.strictEqual(set.no_api_call_hours, 48);
    const [got] = await search('get_alert_settings');
    assert.deepStrictEqual(got, set);
    const cleared = await create('update_alert_settings', { emails: [], no_api_call_hours: '' });
    assert.deepStrictEqual([cleared.emails, cleared.silence_hours, cleared.no_api_call_hours], [[], 24, null]);
  });
});

describe('Redeliver Hook', () => {
  let server;
  const received = [];
  let target;
  before(
    () =>
      new Promise((resolve) => {
        server = http.createServer((req, res) => {
          let body = '';
          req.on('data', (c) => (body += c));
          req.on('end', () => {
            received.push({ id: req.headers['webhook-id'], body: JSON.parse(body) });
            res.writeHead(200).end();
          });
        });
        server.listen(0, '127.0.0.1', () => {
          target = `http://127.0.0.1:${server.address().port}/redeliver`;
          resolve();
        });
      }),
  );
  after(() => server.close());

  const waitFor = async (check, what) => {
    for (let i = 0; i < 300; i++) {
      if (check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`gave up waiting for ${what}`);
  };

  it('delivers the events after the seq again, once however often the step replays', async () => {
    const hook = (await api('POST', '/v1/hooks', { target_url: target, events: ['customer.created'] })).body;
    const customer = (await api('POST', '/v1/customers', { name: `Redeliver ${unique('co')}` })).body;
    await waitFor(() => received.some((d) => d.body.data.id === customer.id), 'the first delivery');
    const event = received.find((d) => d.body.data.id === customer.id);

    const input = { hook_id: hook.id, after_seq: String(event.body.seq - 1) };
    const first = await create('redeliver_hook', input);
    assert.strictEqual(first.hook_id, hook.id);
    assert.strictEqual(first.queued, 1);
    assert.strictEqual(first.has_more, false);
    await waitFor(() => received.filter((d) => d.id === event.id).length === 2, 'the redelivery');

    const again = await create('redeliver_hook', { ...input });
    assert.deepStrictEqual(again, first);
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(received.filter((d) => d.id === event.id).length, 2, 'a replayed step redelivered again');
    await api('DELETE', `/v1/hooks/${hook.id}`);
  });
});
