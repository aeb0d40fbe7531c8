'use strict';

const assert = require('assert');
const http = require('http');
const { appTester, bundle, api, unique, App } = require('./_env');

const run = (key, inputData) => appTester(App.creates[key].operation.perform, bundle({ inputData }));

// fileStore stands in for Zapier's file storage behind z.stashFile: the RPC
// that hands out a presigned upload (at ZAPIER_BASE_ENDPOINT, set by
// scripts/test-zapier.sh) and the bucket the upload is POSTed to, which then
// serves the stored bytes back.
const fileStore = () => {
  const base = process.env.ZAPIER_BASE_ENDPOINT;
  const stored = {};
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && req.url === '/platform/rpc/cli') {
        const { id, method } = JSON.parse(body.toString('utf8'));
        assert.strictEqual(method, 'get_presigned_upload_post_data');
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id, result: { url: `${base}/bucket/`, fields: { key: `stash-${++n}` } } }));
      } else if (req.method === 'POST' && req.url === '/bucket/') {
        // The multipart form: the presigned fields, then the file.
        const boundary = /boundary=(.+)$/.exec(req.headers['content-type'])[1];
        const parts = [];
        for (let at = body.indexOf(`--${boundary}`); at >= 0;) {
          const next = body.indexOf(`--${boundary}`, at + boundary.length + 2);
          if (next < 0) break;
          parts.push(body.subarray(at + boundary.length + 4, next - 2));
          at = next;
        }
        const field = (name) => parts.find((p) => p.toString('latin1').includes(`name="${name}"`));
        const value = (p) => p.subarray(p.indexOf('\r\n\r\n') + 4);
        stored[value(field('key')).toString()] = value(field('file'));
        res.writeHead(204);
        res.end();
      } else if (req.method === 'GET' && stored[req.url.replace('/bucket/', '')]) {
        res.writeHead(200);
        res.end(stored[req.url.replace('/bucket/', '')]);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  return { server, port: Number(new URL(base).port) };
};

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
