// scan-tarball.mjs: n8n's community package scanner (@n8n/scan-community-package)
// on a packed tarball before it is published, plus the README checks npm needs.
//
//   node scripts/scan-tarball.mjs <n8n-nodes-billbridge-x.y.z.tgz>
//
// The scanner itself (npx @n8n/scan-community-package <name>) only scans a
// published package: it checks the npm provenance, fetches the GitHub source
// the provenance names and lints it, then lints the tarball's compiled .js and
// package.json. Before publishing this script runs the same two lint legs
// with the scanner's own rule set (its exported analyzePackage and
// SOURCE_FILE_PATTERNS): the sources of this folder, and the tarball. The
// provenance leg runs in the publish workflow after `npm publish --provenance`.
//
// The README must work on npmjs.com, where only the tarball exists: every
// relative link must name a file inside the tarball, and none may climb out
// of it (../); links into this repository on GitHub must name a file that
// exists in this checkout.
//
// Prints what it checked and exits non-zero on any violation.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageRoot = path.resolve(here, '..');

/**
 * readmeLinkProblems lists the README's links that do not resolve: relative
 * ones must name a file inside dir (the unpacked tarball); absolute ones into
 * this repository's main branch must name a file or folder of repoRoot.
 */
export function readmeLinkProblems(readme, dir, repoRoot) {
	const problems = [];
	// [text](target) and [text]: target, ignoring code spans and fences.
	const text = readme.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
	const targets = [
		...[...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]),
		...[...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
	];
	for (const target of targets) {
		const inRepo = /^https:\/\/github\.com\/billbridge\/billbridge\/(?:blob|tree)\/main\/([^#?]+)/.exec(
			target,
		);
		if (inRepo) {
			if (!fs.existsSync(path.join(repoRoot, inRepo[1]))) {
				problems.push(`${target}: no ${inRepo[1]} in the repository`);
			}
			continue;
		}
		if (/^(https?:|mailto:|#)/i.test(target)) {
			continue;
		}
		const file = target.split('#')[0];
		const resolved = path.resolve(dir, file);
		if (file.startsWith('../') || !resolved.startsWith(dir + path.sep)) {
			problems.push(`${target}: leaves the package (npm shows the README without the repository)`);
		} else if (!fs.existsSync(resolved)) {
			problems.push(`${target}: not in the tarball`);
		}
	}
	return problems;
}

async function main() {
	const tarball = process.argv[2];
	if (!tarball) {
		console.error('usage: node scripts/scan-tarball.mjs <package.tgz>');
		process.exit(2);
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-tarball-'));
	try {
		execFileSync('tar', ['-xzf', path.resolve(tarball), '-C', dir, '--strip-components=1']);
		let failed = false;

		const source = await analyzePackage(packageRoot, SOURCE_FILE_PATTERNS);
		console.log(`scanner lint, sources (${SOURCE_FILE_PATTERNS.join(', ')}): ${source.passed ? 'ok' : 'FAILED'}`);
		const dist = await analyzePackage(dir, ['**/*.js', 'package.json']);
		console.log(`scanner lint, tarball (**/*.js, package.json): ${dist.passed ? 'ok' : 'FAILED'}`);
		for (const result of [source, dist]) {
			if (!result.passed) {
				failed = true;
				console.log(result.message);
				if (result.details) console.log(result.details);
			}
		}

		const readmePath = path.join(dir, 'README.md');
		if (!fs.existsSync(readmePath)) {
			failed = true;
			console.log('README.md: not in the tarball');
		} else {
			const problems = readmeLinkProblems(
				fs.readFileSync(readmePath, 'utf8'),
				dir,
				path.resolve(packageRoot, '..'),
			);
			console.log(`README links: ${problems.length === 0 ? 'ok' : 'FAILED'}`);
			for (const p of problems) console.log(`  ${p}`);
			failed ||= problems.length > 0;
		}
		process.exitCode = failed ? 1 : 0;
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	await main();
}
