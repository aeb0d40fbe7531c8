'use strict';

// _rpc.js: a stand-in for Zapier's RPC endpoint behind z.cursor (the
// get_cursor and set_cursor calls a canPaginate trigger makes), at
// ZAPIER_BASE_ENDPOINT as scripts/test-zapier.sh sets it. It keeps cursors
// per store key, as Zapier keeps them per Zap and trigger.

const http = require('http');

const cursorStore = () => {
  const cursors = {};
  const calls = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { id, method, params, storeKey } = JSON.parse(body || '{}');
      calls.push(method);
      let result = null;
      if (method === 'get_cursor') {
        result = cursors[storeKey] || null;
      } else if (method === 'set_cursor') {
        cursors[storeKey] = params[0];
      } else {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id, error: `unexpected RPC ${method}` }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id, result }));
    });
  });
  const start = () => new Promise((resolve) => server.listen(Number(new URL(process.env.ZAPIER_BASE_ENDPOINT).port), '127.0.0.1', resolve));
  const stop = () => new Promise((resolve) => server.close(resolve));
  const forget = () => Object.keys(cursors).forEach((k) => delete cursors[k]);
  return { start, stop, forget, calls, cursors };
};

module.exports = { cursorStore };
