'use strict';

const assert = require('assert');
const { appTester, bundle, unique, App } = require('./_env');

const report = (inputData) => appTester(App.creates.report_sync_error.operation.perform, bundle({ inputData }));

describe('Report Sync Error', () => {
  it('reports a failed run as a zapier incident, once however often the step replays', async () => {
    const input = { message: `Create Invoice: currency must be one of CHF, EUR (${unique('run')})`, workflow: 'CRM deal won → invoice', execution_url: 'https://zapier.com/app/history?zap_id=42' };
    const first = await report(input);
    assert.match(first.id, /^inc_/);
    assert.strictEqual(first.source, 'zapier');
    assert.strictEqual(first.workflow, input.workflow);
    assert.strictEqual(first.execution_url, input.execution_url);
    assert.strictEqual(first.message, input.message);
    const again = await report({ ...input });
    assert.strictEqual(again.id, first.id);
  });

  it('stops (HaltedError) naming the field when the run link is not a web address', async () => {
    const err = await report({ message: 'x', execution_url: 'zap history' }).then(
      () => assert.fail('no error'),
      (e) => e,
    );
    assert.strictEqual(err.name, 'HaltedError', err.message);
    assert.match(err.message, /execution_url/);
  });
});
