'use strict';

// iml.js: an evaluator for the subset of Make's IML that the billbridge app
// uses: `{{…}}` templates holding paths (parameters.x, item.data.id), string,
// number and boolean literals, the keywords null and emptyarray, the operators = != < <= > >= + - and/or, and
// the built-in functions ifempty, if, length, join, map, sha256, formatDate,
// replace, toCollection and get (the app has no IML functions of its own). It is a test tool, not a copy of Make's engine:
// where Make's behaviour is not documented it takes the plain reading.

const crypto = require('crypto');

const empty = (v) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

const pad = (n, w = 2) => String(n).padStart(w, '0');

// formatDate supports the tokens the app uses (YYYY MM DD HH mm ss and
// [literal] text), in UTC: Make formats in the scenario's time zone unless a
// third argument names one; the tests run with UTC.
const formatDate = (value, format, timezone) => {
  if (empty(value)) {
    return '';
  }
  if (timezone !== undefined && timezone !== 'UTC') {
    throw new Error(`formatDate: only UTC is modelled, not ${timezone}`);
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) {
    throw new Error(`formatDate: not a date: ${value}`);
  }
  return String(format)
    .split(/(\[[^\]]*\])/)
    .map((part) =>
      part.startsWith('[')
        ? part.slice(1, -1)
        : part
            .replace(/YYYY/g, d.getUTCFullYear())
            .replace(/MM/g, pad(d.getUTCMonth() + 1))
            .replace(/DD/g, pad(d.getUTCDate()))
            .replace(/HH/g, pad(d.getUTCHours()))
            .replace(/mm/g, pad(d.getUTCMinutes()))
            .replace(/ss/g, pad(d.getUTCSeconds())),
    )
    .join('');
};

// replace is Make's replace(text; search; replacement): a search written
// as /pattern/flags is a regular expression whose groups $1… the
// replacement may use; otherwise every occurrence of the text is replaced.
const replace = (text, search, replacement) => {
  if (empty(text)) {
    return text;
  }
  const re = /^\/(.*)\/([gimsuy]*)$/s.exec(String(search));
  if (re) {
    return String(text).replace(new RegExp(re[1], re[2]), String(replacement));
  }
  return String(text).split(String(search)).join(String(replacement));
};

// toCollection turns [{key, value}] into {key: value}, as Make's
// toCollection(array; key; value) does.
const toCollection = (arr, keyName, valueName) => {
  const out = {};
  for (const it of Array.isArray(arr) ? arr : []) {
    if (it && !empty(it[keyName])) out[it[keyName]] = it[valueName];
  }
  return out;
};

// get reads a key (or dotted path) of an object: get(headers; "content-type").
const get = (obj, key) => (obj === undefined || obj === null ? undefined : obj[key]);

const builtins = {
  ifempty: (a, b) => (empty(a) ? b : a),
  if: (c, a, b) => (c && !empty(c) ? a : b),
  length: (v) => (empty(v) ? 0 : v.length),
  join: (arr, sep) => (Array.isArray(arr) ? arr.join(sep) : ''),
  map: (arr, key) => (Array.isArray(arr) ? arr.map((x) => (x == null ? undefined : x[key])) : []),
  sha256: (text) => crypto.createHash('sha256').update(Buffer.isBuffer(text) ? text : String(text)).digest('hex'),
  formatDate,
  replace,
  toCollection,
  get,
};

// tokenize splits an expression into literals, names, operators and punctuation.
const tokenize = (src) => {
  const tokens = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(\d+(?:\.\d+)?)|(>=|<=|!=|[=<>+\-*/();])|([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$-]*|\[\d+\])*))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) {
      break;
    }
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) {
      throw new Error(`IML: cannot read "${src.slice(pos)}" in "${src}"`);
    }
    pos = re.lastIndex;
    if (m[1] !== undefined) {
      tokens.push({ t: 'lit', v: m[1].slice(1, -1).replace(/\\(.)/g, '$1') });
    } else if (m[2] !== undefined) {
      tokens.push({ t: 'lit', v: Number(m[2]) });
    } else if (m[3] !== undefined) {
      tokens.push({ t: 'op', v: m[3] });
    } else {
      tokens.push({ t: 'name', v: m[4] });
    }
  }
  return tokens;
};

// lookup resolves a dotted path (with [n] indexes) in the context.
const lookup = (ctx, path) => {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let v = ctx;
  for (const p of parts) {
    if (v === undefined || v === null) {
      return undefined;
    }
    v = v[p];
  }
  return v;
};

// Parser: or > and > comparison > additive > multiplicative > primary.
const evaluateExpression = (src, ctx, functions) => {
  const tokens = tokenize(src);
  let i = 0;
  const peek = () => tokens[i];
  const isOp = (v) => peek() && peek().t === 'op' && peek().v === v;
  const isWord = (v) => peek() && peek().t === 'name' && peek().v === v;
  const expect = (v) => {
    if (!isOp(v)) {
      throw new Error(`IML: expected "${v}" in "${src}"`);
    }
    i++;
  };
  const primary = () => {
    const tok = tokens[i++];
    if (!tok) {
      throw new Error(`IML: unexpected end of "${src}"`);
    }
    if (tok.t === 'lit') {
      return tok.v;
    }
    if (tok.t === 'op' && tok.v === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (tok.t === 'op' && tok.v === '-') {
      return -primary();
    }
    if (tok.t === 'name') {
      if (tok.v === 'true') return true;
      if (tok.v === 'false') return false;
      if (tok.v === 'null') return null;
      if (tok.v === 'emptyarray') return [];
      if (isOp('(')) {
        i++;
        const args = [];
        if (!isOp(')')) {
          args.push(or());
          while (isOp(';')) {
            i++;
            args.push(or());
          }
        }
        expect(')');
        const fn = functions[tok.v] || builtins[tok.v];
        if (!fn) {
          throw new Error(`IML: unknown function ${tok.v}() in "${src}"`);
        }
        return fn(...args);
      }
      return lookup(ctx, tok.v);
    }
    throw new Error(`IML: unexpected "${tok.v}" in "${src}"`);
  };
  const mul = () => {
    let v = primary();
    while (isOp('*') || isOp('/')) {
      const op = tokens[i++].v;
      const r = primary();
      v = op === '*' ? v * r : v / r;
    }
    return v;
  };
  const add = () => {
    let v = mul();
    while (isOp('+') || isOp('-')) {
      const op = tokens[i++].v;
      const r = mul();
      if (op === '+' && (typeof v === 'string' || typeof r === 'string')) {
        v = (v === undefined || v === null ? '' : v) + (r === undefined || r === null ? '' : r);
      } else {
        v = op === '+' ? v + r : v - r;
      }
    }
    return v;
  };
  const cmp = () => {
    let v = add();
    while (['=', '!=', '<', '<=', '>', '>='].some(isOp)) {
      const op = tokens[i++].v;
      const r = add();
      v = { '=': v == r, '!=': v != r, '<': v < r, '<=': v <= r, '>': v > r, '>=': v >= r }[op]; // eslint-disable-line eqeqeq
    }
    return v;
  };
  const and = () => {
    let v = cmp();
    while (isWord('and')) {
      i++;
      const r = cmp();
      v = v && r;
    }
    return v;
  };
  const or = () => {
    let v = and();
    while (isWord('or')) {
      i++;
      const r = and();
      v = v || r;
    }
    return v;
  };
  const v = or();
  if (i !== tokens.length) {
    throw new Error(`IML: trailing "${tokens[i].v}" in "${src}"`);
  }
  return v;
};

const stringify = (v) => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

// evaluate walks a JSON value and evaluates every string in it as an IML
// template. A string that is exactly one `{{…}}` keeps the expression's type
// (an object stays an object); otherwise the parts are joined as text.
// Object keys whose value comes out undefined are dropped, as JSON does;
// a "{{...}}" key spreads its collection into the object.
const evaluate = (value, ctx, functions = {}) => {
  if (typeof value === 'string') {
    const whole = value.match(/^\{\{([\s\S]*)\}\}$/);
    if (whole && !whole[1].includes('}}')) {
      return evaluateExpression(whole[1], ctx, functions);
    }
    return value.replace(/\{\{([\s\S]*?)\}\}/g, (_, expr) => stringify(evaluateExpression(expr, ctx, functions)));
  }
  if (Array.isArray(value)) {
    return value.map((v) => evaluate(v, ctx, functions));
  }
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const r = evaluate(v, ctx, functions);
      if (k === '{{...}}') {
        // Make's spread: the collection's keys are merged into the object.
        Object.assign(out, r && typeof r === 'object' ? r : {});
      } else if (r !== undefined) {
        out[k] = r;
      }
    }
    return out;
  }
  return value;
};

// expressions lists every `{{…}}` expression inside a JSON value.
const expressions = (value, out = []) => {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/\{\{([\s\S]*?)\}\}/g)) out.push(m[1]);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) expressions(v, out);
  }
  return out;
};

module.exports = { evaluate, evaluateExpression, expressions, tokenize, builtins };
