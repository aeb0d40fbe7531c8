'use strict';

const assert = require('assert');
const http = require('http');
const { appTester, bundle, api, unique, App } = require('./_env');

const run = (inputData) => appTester(App.creates.import_bank_statement.operation.perform, bundle({ inputData }));

// camt054 is a camt.054.001.04 notification of booked credits [ref, reference, amount].
const camt054 = (msgId, credits) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>${msgId}</MsgId></GrpHdr><Ntfctn><Id>${msgId}</Id>
${credits.map(([ref, reference, amount]) => `<Ntry><Amt Ccy="CHF">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-11-28</Dt></BookgDt><AcctSvcrRef>${ref}</AcctSvcrRef><NtryDtls><TxDtls><Amt Ccy="CHF">${amount}</Amt>
${reference ? `<RmtInf><Strd><CdtrRefInf><Ref>${reference}</Ref></CdtrRefInf></Strd></RmtInf>` : ''}</TxDtls></NtryDtls></Ntry>`).join('\n')}
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;

describe('bank files', () => {
  // A file host like the one Zapier hands file fields over from; it
  // remembers the Authorization headers it was sent.
  let server;
  let fileUrl;
  const files = {};
  const seenAuth = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seenAuth.push(req.headers.authorization);
      const body = files[req.url];
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/xml' });
      res.end(body || '');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    fileUrl = (name) => `http://127.0.0.1:${server.address().port}/${name}`;
  });
  after(() => server.close());

  it('records each credit of a camt.054 once, however often the file is imported', async () => {
    await api('PUT', '/v1/settings/qr-bill', {
      iban: 'CH5800791123000889012', reference_type: 'scor', language: 'de',
      creditor: { name: 'Robert Schneider AG', street: 'Rue du Lac', building_number: '1268', postal_code: '2501', city: 'Biel', country: 'CH' },
    });
    const { body: cust } = await api('POST', '/v1/customers', { name: unique('Bank AG') });
    const { body: inv } = await api('POST', '/v1/invoices', {
      customer_id: cust.id, currency: 'CHF', finalize: true, items: [{ description: 'Work', quantity: 1, unit_price: 120, vat_rate: 0 }],
    });
    const name = `${unique('camt')}.xml`;
    files[`/${name}`] = camt054(unique('msg'), [[unique('bank'), inv.payment_reference, '120.00'], [unique('bank'), '', '5.00']]);

    const first = await run({ file: fileUrl(name), file_name: name });
    assert.strictEqual(first.kind, 'camt.054');
    assert.deepStrictEqual(first.matched.map((m) => [m.invoice_id, m.amount]), [[inv.id, 120]]);
    assert.deepStrictEqual(first.unmatched.map((m) => m.reason), ['no_reference']);
    assert.deepStrictEqual(seenAuth, [undefined], 'the billbridge key went to the file host');
    // A replayed step sends the same bytes under the derived key: the first report again.
    assert.deepStrictEqual(await run({ file: fileUrl(name), file_name: name }), first);
    seenAuth.length = 1;

    const again = await run({ file: fileUrl(name), idempotency_key: unique('own') });
    assert.strictEqual(again.matched.length, 0);
    assert.deepStrictEqual(again.already_recorded.map((m) => m.payment_id), [first.matched[0].payment_id]);
    const { body: paid } = await api('GET', `/v1/invoices/${inv.id}`);
    assert.strictEqual(paid.status, 'paid');
    const { body: pays } = await api('GET', `/v1/invoices/${inv.id}/payments`);
    assert.strictEqual(pays.data.length, 1);
  });

  it('takes the file as text too, and refuses what is not a bank file naming the field', async () => {
    const text = camt054(unique('msg'), [[unique('bank'), 'RF18539007547034', '7.00']]);
    const out = await run({ file: text });
    assert.deepStrictEqual(out.unmatched.map((m) => m.reason), ['no_invoice']);
    await assert.rejects(run({ file: '<!DOCTYPE d []><Document/>' }), (err) => {
      assert.match(err.message, /\(file: .*DOCTYPE/);
      return true;
    });
  });
});
