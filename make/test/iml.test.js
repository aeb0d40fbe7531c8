'use strict';

// iml.test.js: the evaluator itself, so the live checks stand on something
// that is known to work.

const test = require('node:test');
const assert = require('node:assert');
const { evaluate } = require('./lib/iml');

test('a whole-template expression keeps its type; mixed text becomes a string', () => {
  const ctx = { item: { seq: 7, data: { id: 'inv_1', items: [{ a: 1 }] } } };
  assert.strictEqual(evaluate('{{item.seq}}', ctx), 7);
  assert.deepStrictEqual(evaluate('{{item.data.items}}', ctx), [{ a: 1 }]);
  assert.strictEqual(evaluate('#{{item.seq}} {{item.data.id}}', ctx), '#7 inv_1');
  assert.strictEqual(evaluate('x{{item.missing}}y', ctx), 'xy');
});

test('undefined values drop out of objects, empty strings stay', () => {
  assert.deepStrictEqual(evaluate({ a: '{{parameters.a}}', b: '{{parameters.b}}', c: 1 }, { parameters: { b: '' } }), { b: '', c: 1 });
});

test('functions and operators', () => {
  const ctx = { body: { detail: '', title: 'Bad', invalid_params: [{ name: 'currency' }, { name: 'items' }] }, statusCode: 503 };
  assert.strictEqual(evaluate('{{ifempty(body.detail; body.title)}}', ctx), 'Bad');
  assert.strictEqual(evaluate('{{join(map(body.invalid_params; "name"); ", ")}}', ctx), 'currency, items');
  assert.strictEqual(evaluate('{{if(statusCode >= 500; "ConnectionError"; "RuntimeError")}}', ctx), 'ConnectionError');
  assert.strictEqual(evaluate('{{if(length(body.nothing) > 0; "y"; "n")}}', ctx), 'n');
  assert.strictEqual(evaluate('{{sha256("abc")}}', ctx), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.strictEqual(evaluate('{{formatDate("2026-03-02T09:07:00.000Z"; "YYYY-MM-DD HH:mm")}}', ctx), '2026-03-02 09:07');
  assert.strictEqual(evaluate('{{f("a"; 2)}}', ctx, { f: (a, b) => a + b }), 'a2');
});

test('unknown functions and bad syntax fail loudly', () => {
  assert.throws(() => evaluate('{{nope(1)}}', {}), /unknown function/);
  assert.throws(() => evaluate('{{a.b c}}', {}), /trailing/);
});
