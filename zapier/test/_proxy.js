'use strict';

// _proxy.js: a pass-through HTTP proxy in front of a billbridge that records
// each request's method, URL, If-None-Match and the answer's status and
// headers, so a test can see what the app sent and what came back.

const http = require('http');

const startProxy = (targetUrl) =>
  new Promise((resolve) => {
    const target = new URL(targetUrl);
    const seen = [];
    const server = http.createServer((req, res) => {
      const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (upRes) => {
        seen.push({ method: req.method, url: req.url, ifNoneMatch: req.headers['if-none-match'], status: upRes.statusCode, headers: upRes.headers });
        res.writeHead(upRes.statusCode, upRes.headers);
        upRes.pipe(res);
      });
      req.pipe(up);
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, seen, url: `http://127.0.0.1:${server.address().port}` }));
  });

module.exports = { startProxy };
