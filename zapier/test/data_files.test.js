'use strict';

const assert = require('assert');
const http = require('http');
const { appTester, bundle, api, unique, App } = require('./_env');
const { fileStore } = require('./_files');

const run = (key, inputData) => appTester(App.creates[key].operation.perform, bundle({ inputData }));

describe('imports and exports', () => {
  // A file host like the one Zapier hands file fields over from.
  let server;
  let fileUrl;
  const files = {};
  before(async () => {
    server = http.createServer((req, res) => {
      const body = files[req.url];
      res.writeHead(body ? 200 : 404);
      res.end(body || '');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    fileUrl = (name) => `http://127.0.0.1:${server.address().port}/${name}`;
  });
  after(() => server.close());

  const crm = unique('crm');
  const kunden = () => Buffer.from(
    `\ufeffFirma;E-Mail;PLZ;Ort;Land;Externe ID\r\nImport AG;ap@${crm}.example;8001;Zürich;Schweiz;${crm}-1\r\nZweite GmbH;;3011;Bern;CH;${crm}-2\r\n`,
    'utf8',
  );

  it('imports customers from a file: a dry run writes nothing, the import creates, a second import matches', async () => {
    files['/kunden.csv'] = kunden();
    const dry = await run('import_customers', { file: fileUrl('kunden.csv'), dry_run: 'true' });
    assert.strictEqual(dry.dry_run, true);
    assert.deepStrictEqual([dry.summary.rows, dry.summary.created], [2, 2]);
    const { body: none } = await api('GET', `/v1/customers?external_id=${crm}-1`);
    assert.deepStrictEqual(none.data, []);

    const done = await run('import_customers', { file: fileUrl('kunden.csv'), file_name: 'kunden.csv' });
    assert.strictEqual(done.dry_run, false);
    assert.deepStrictEqual(done.rows.map((r) => r.result), ['created', 'created']);
    const { body: made } = await api('GET', `/v1/customers?external_id=${crm}-1`);
    assert.deepStrictEqual([made.data[0].id, made.data[0].name, made.data[0].address.country], [done.rows[0].id, 'Import AG', 'CH']);

    // A replayed step (same file, same options) replays the first report; a new key matches.
    assert.deepStrictEqual(await run('import_customers', { file: fileUrl('kunden.csv'), file_name: 'kunden.csv' }), done);
    const again = await run('import_customers', { file: fileUrl('kunden.csv'), idempotency_key: unique('again') });
    assert.deepStrictEqual(again.rows.map((r) => [r.result, r.id]), done.rows.map((r) => ['matched', r.id]));
  });

  it('imports invoices of the imported customers, and refuses a bad file atomically naming the row', async () => {
    const csv = `Externe Kunden-ID;Rechnungsnummer;Externe ID;Rechnungsdatum;Status;Beschreibung;Menge;Preis;MWST-Satz\r\n${crm}-1;ALT-${crm};${crm}-inv;2026-09-01;offen;Beratung;2;1'000.00;8.1\r\n${crm}-1;ALT-${crm};${crm}-inv;2026-09-01;offen;Spesen;1;50,00;0\r\n`;
    const out = await run('import_invoices', { file: csv, file_name: 'rechnungen.csv' });
    assert.deepStrictEqual(out.rows.map((r) => r.result), ['created', 'created']);
    const { body: inv } = await api('GET', `/v1/invoices/${out.rows[0].id}`);
    assert.deepStrictEqual([inv.number, inv.issue_date, inv.total, inv.external_id], [`ALT-${crm}`, '2026-09-01', 2212, `${crm}-inv`]);

    const bad = `Externe Kunden-ID;Beschreibung;Menge;Preis\r\n${crm}-1;Gut;1;10\r\n${crm}-404;Niemand;1;10\r\n`;
    await assert.rejects(run('import_invoices', { file: bad, atomic: true }), (err) => {
      assert.match(err.message, /rows\[3\]|row 3/);
      return true;
    });
  });

  it('exports invoices as CSV and customers as XLSX as dehydrated files, downloaded and stashed when hydrated', async () => {
    const store = fileStore();
    await new Promise((resolve) => store.server.listen(store.port, '127.0.0.1', resolve));
    const read = async (url) => Buffer.from(await (await fetch(url)).arrayBuffer());
    // hydrate does what Zapier does when a later step uses the file: it
    // calls the hydrator the pointer names with the pointer's bundle.
    const hydrate = async (pointer) => {
      const m = /^hydrate\|\|\|(.+)\|\|\|hydrate$/.exec(pointer);
      assert.ok(m, `not a dehydrated file: ${pointer}`);
      const { type, method, bundle: inputData } = JSON.parse(m[1]);
      assert.deepStrictEqual([type, method], ['file', 'hydrators.stashDownload']);
      return appTester(App.hydrators.stashDownload, bundle({ inputData }));
    };
    try {
      const before = store.uploads();
      const csv = await run('export_file', { dataset: 'invoices', format: 'csv', profile: 'excel', lang: 'de', status: 'unpaid' });
      assert.deepStrictEqual([csv.id, csv.dataset, csv.format, csv.content_type], ['invoices.csv', 'invoices', 'csv', 'text/csv']);
      assert.strictEqual(store.uploads(), before, 'nothing is downloaded or stashed until the file is used');
      const text = (await read(await hydrate(csv.file))).toString('utf8');
      assert.strictEqual(store.uploads(), before + 1);
      assert.ok(text.startsWith('\ufeff'), 'the Excel profile starts with a BOM');
      assert.ok(text.includes(`ALT-${crm}`), 'the imported invoice is in the export');
      assert.ok(text.includes(';'), 'the Excel profile separates with semicolons');
      const paid = await run('export_file', { dataset: 'invoices', format: 'csv', status: 'paid' });
      assert.ok(!(await read(await hydrate(paid.file))).toString('utf8').includes(`ALT-${crm}`), 'the open invoice is in the paid export');

      const xlsx = await run('export_file', { dataset: 'customers', format: 'xlsx', profile: 'excel' });
      assert.strictEqual(xlsx.content_type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      assert.strictEqual((await read(await hydrate(xlsx.file))).subarray(0, 2).toString('latin1'), 'PK');
    } finally {
      store.server.close();
    }
  });
});
