'use strict';

// files.js: files a Zap maps in (bank files, CSV or XLSX imports) and the
// multipart body that uploads them to billbridge.

const crypto = require('crypto');

// fileBytes returns the file a Zap maps in: Zapier hands files over as a
// URL, fetched here (without the billbridge key); anything else is the
// file's text itself.
const fileBytes = async (z, file) => {
  const value = String(file || '');
  if (!/^https?:\/\//i.test(value)) {
    return Buffer.from(value, 'utf8');
  }
  const response = await z.request({ url: value, method: 'GET', raw: true });
  return await response.buffer();
};

// multipart encodes data as the multipart/form-data field "file" named
// filename (quotes and line breaks become underscores). The boundary is
// derived from the file, so the same file gives the same bytes: a replayed
// step with the same Idempotency-Key replays the first answer instead of
// being refused as another request.
const multipart = (data, filename, contentType) => {
  let boundary = `billbridge-${crypto.createHash('sha256').update(data).update(`\n${filename}\n${contentType}`).digest('hex').slice(0, 24)}`;
  while (data.includes(boundary)) {
    boundary += 'x';
  }
  const safeName = String(filename).replace(/["\r\n]/g, '_');
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head, 'utf8'), data, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
};

// fileKey is the Idempotency-Key of an upload: the user's own when given,
// otherwise one derived from the action, the file and extra (e.g. the
// query), so a replayed step replays the first answer.
const fileKey = (action, own, data, extra = '') => {
  const mine = own && String(own).trim();
  if (mine) {
    return mine;
  }
  const hash = crypto.createHash('sha256').update(data);
  if (extra) {
    hash.update(`\n${extra}`);
  }
  return `zap.${action}.${hash.digest('hex')}`;
};

// stashResponse stashes a raw billbridge response (a document or an export)
// under the file name billbridge gives it (Content-Disposition), or fallback.
const stashResponse = async (z, response, fallback) => {
  const data = await response.buffer();
  const disposition = response.headers.get('content-disposition') || '';
  const match = /filename="([^"]+)"/.exec(disposition);
  const fileName = match ? match[1] : fallback;
  const contentType = (response.headers.get('content-type') || 'application/octet-stream').split(';')[0];
  const file = await z.stashFile(data, data.length, fileName, contentType);
  return { file, file_name: fileName, content_type: contentType, size: data.length };
};

// stashDownload is the hydrator of a dehydrated billbridge file (an
// export): when a later step of the Zap uses the file, Zapier calls it with
// the inputData given to z.dehydrateFile ({url, params, fallback}); it GETs
// the file from billbridge then and answers the stashed file's URL. A step
// whose file no later step uses downloads nothing.
const stashDownload = async (z, bundle) => {
  const { url, params, fallback } = bundle.inputData;
  const response = await z.request({ url, params, raw: true });
  return (await stashResponse(z, response, fallback)).file;
};

module.exports = { fileBytes, multipart, fileKey, stashResponse, stashDownload };
