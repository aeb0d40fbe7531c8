'use strict';

// _files.js: a stand-in for Zapier's file storage, for the actions that
// stash files (invoice documents, exports).

const assert = require('assert');
const http = require('http');

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
  return { server, port: Number(new URL(base).port), uploads: () => Object.keys(stored).length };
};

module.exports = { fileStore };
