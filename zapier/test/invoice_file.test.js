'use strict';

const assert = require('assert');
const { appTester, bundle, api, unique, App } = require('./_env');
const { fileStore } = require('./_files');

const run = (key, inputData) => appTester(App.creates[key].operation.perform, bundle({ inputData }));

describe('invoice files', () => {
  const store = fileStore();
  before(async () => new Promise((resolve) => store.server.listen(store.port, '127.0.0.1', resolve)));
  after(() => store.server.close());

  const download = async (url) => Buffer.from(await (await fetch(url)).arrayBuffer());

  it('stashes the invoice PDF and the QR-bill under billbridge\'s file names', async () => {
    await api('PUT', '/v1/settings/qr-bill', {
      iban: 'CH5800791123000889012', reference_type: 'scor', language: 'de',
      creditor: { name: 'Robert Schneider AG', street: 'Rue du Lac', building_number: '1268', postal_code: '2501', city: 'Biel', country: 'CH' },
    });
    const { body: cust } = await api('POST', '/v1/customers', {
      name: unique('Pia Rutschmann'), address: { street: 'Marktgasse', building_number: '28', postal_code: '9400', city: 'Rorschach', country: 'CH' },
    });
    const { body: inv } = await api('POST', '/v1/invoices', {
      customer_id: cust.id, currency: 'CHF', finalize: true, items: [{ description: 'Work', quantity: 1, unit_price: 250, vat_rate: 0 }],
    });

    const pdf = await run('invoice_pdf', { invoice_id: inv.id, lang: 'fr' });
    assert.deepStrictEqual([pdf.invoice_id, pdf.file_name, pdf.content_type], [inv.id, `${inv.number}.pdf`, 'application/pdf']);
    const pdfBytes = await download(pdf.file);
    assert.strictEqual(pdfBytes.subarray(0, 5).toString(), '%PDF-');
    assert.strictEqual(pdfBytes.length, pdf.size);

    const png = await run('invoice_qr_bill', { invoice_id: inv.id, format: 'png' });
    assert.strictEqual(png.file_name, `${inv.number}-qr-bill.png`);
    assert.deepStrictEqual([...(await download(png.file)).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const txt = await run('invoice_qr_bill', { invoice_id: inv.id, format: 'txt' });
    const payload = (await download(txt.file)).toString('utf8').split('\n');
    assert.deepStrictEqual([payload[0], payload[18], payload[28]], ['SPC', '250.00', inv.payment_reference]);
  });

  it('fails readably for an unknown invoice', async () => {
    await assert.rejects(run('invoice_pdf', { invoice_id: 'inv_unknown' }), /404/);
  });
});
