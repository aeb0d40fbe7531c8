// oracle.mjs: checks billbridge's QR-bills against independent code. It
// reads {"cases": [...]} from stdin; each case has what billbridge made
// (payload, matrix as rows of "0"/"1", png: a file with the slip drawn, iban
// and reference) and the same bill in the shape of swissqrbill's Data. For
// each it asks:
//   - swissqrbill 4.4.1 (schoero/swissqrbill): the payload it builds from
//     Data, and the QR module matrix it draws (read from its SVG), equal
//     billbridge's exactly; its utils agree on the IBAN, the QR-IBAN and
//     the reference's check digits;
//   - jsQR 1.4.0: finds the QR code in billbridge's PNG and reads back the
//     payload (a second decoder, besides gozxing in the Go tests).
// It writes {"results": [{"name", "errors": [...]}]} to stdout.
// Run through scripts/qrbill-oracle.sh, which installs the packages.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.ORACLE_MODULES;
if (!modules) throw new Error("ORACLE_MODULES must name the oracle's node_modules folder");
const require = createRequire(join(modules, "noop.js"));
const jsQR = require("jsqr");
const { PNG } = require("pngjs");
const load = (path) => import(pathToFileURL(join(modules, "swissqrbill", path)).href);
const { generateQRData } = await load("lib/esm/shared/qr-code.js");
const utils = await load("lib/esm/shared/utils.js");
const { SwissQRCode } = await load("lib/esm/svg/swissqrcode.js");

// matrixOf reads the module matrix out of swissqrbill's SVG of the QR code:
// every module is a black square of 46/n mm; the Swiss cross's larger
// rectangles are not modules.
function matrixOf(data) {
  const svg = new SwissQRCode(data, 46).toString();
  const rects = [...svg.matchAll(/<rect x="([\d.]+)mm" y="([\d.]+)mm" width="([\d.]+)mm" height="([\d.]+)mm" fill="black"/g)]
    .map((m) => m.slice(1).map(Number));
  const block = Math.min(...rects.map((r) => r[2]));
  const n = Math.round(46 / block);
  const rows = Array.from({ length: n }, () => Array(n).fill("0"));
  for (const [x, y, w] of rects) {
    if (Math.abs(w - block) > 1e-9) continue;
    rows[Math.round(y / block)][Math.round(x / block)] = "1";
  }
  return rows.map((r) => r.join(""));
}

function check(c) {
  const errors = [];
  const expect = (ok, what) => { if (!ok) errors.push(what); };

  const payload = generateQRData(c.data);
  expect(payload === c.payload, `payload differs:\n swissqrbill ${JSON.stringify(payload)}\n billbridge  ${JSON.stringify(c.payload)}`);

  const matrix = matrixOf(c.data);
  const same = matrix.length === c.matrix.length && matrix.every((row, i) => row === c.matrix[i]);
  expect(same, `QR matrix differs: swissqrbill ${matrix.length}×${matrix.length}, billbridge ${c.matrix.length}×${c.matrix.length}` +
    (matrix.length === c.matrix.length ? `, first different row ${matrix.findIndex((row, i) => row !== c.matrix[i])}` : ""));

  expect(utils.isIBANValid(c.iban), `isIBANValid(${c.iban}) is false`);
  expect(utils.isQRIBAN(c.iban) === c.qr_iban, `isQRIBAN(${c.iban}) is ${utils.isQRIBAN(c.iban)}`);
  const ref = c.reference;
  if (ref && c.qr_iban) {
    expect(utils.isQRReferenceValid(ref), `isQRReferenceValid(${ref}) is false`);
    expect(utils.calculateQRReferenceChecksum(ref.slice(0, 26)) === ref.slice(26), `QR reference check digit of ${ref}`);
  } else if (ref) {
    expect(utils.isSCORReferenceValid(ref), `isSCORReferenceValid(${ref}) is false`);
    expect(utils.calculateSCORReferenceChecksum(ref.slice(4)) === ref.slice(2, 4), `creditor reference check digits of ${ref}`);
  }

  if (c.png) {
    const png = PNG.sync.read(readFileSync(c.png));
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height, { inversionAttempts: "dontInvert" });
    const text = code ? Buffer.from(code.binaryData).toString("utf8") : null;
    expect(code !== null, "jsQR finds no QR code in the PNG");
    expect(code === null || text === c.payload, `jsQR reads ${JSON.stringify(text)}`);
  }
  return errors;
}

const input = JSON.parse(readFileSync(0, "utf8"));
const results = input.cases.map((c) => {
  try {
    return { name: c.name, errors: check(c) };
  } catch (e) {
    return { name: c.name, errors: [`oracle threw: ${e.message}`] };
  }
});
process.stdout.write(JSON.stringify({ results }));
