// Every relative link of the repository's documents points at a file that exists, and every
// `#anchor` at a heading of its target: the docs moved out of the README, and links must follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const documents = [
	'README.md',
	'CONTRIBUTING.md',
	'CHANGELOG.md',
	'BENCHMARKS.md',
	'runtime/README.md',
	...readdirSync(path.join(repo, 'docs'), { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('.md'))
		.map((f) => path.join('docs', f)),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
const anchorOf = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');

function anchors(file: string): Set<string> {
	const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
	return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));
}

test('relative links in the docs resolve, anchors included', () => {
	const broken: string[] = [];
	let checked = 0;
	for (const doc of documents) {
		const full = path.join(repo, doc);
		const text = readFileSync(full, 'utf8').replace(/```[\s\S]*?```/g, '');
		for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
			if (/^[a-z]+:/.test(target!)) continue;
			const [file, anchor] = target!.split('#') as [string, string | undefined];
			const resolved = file ? path.resolve(path.dirname(full), file) : full;
			checked++;
			if (!existsSync(resolved)) broken.push(`${doc}: ${target} (no such file)`);
			else if (anchor && statSync(resolved).isFile() && resolved.endsWith('.md') && !anchors(resolved).has(anchor))
				broken.push(`${doc}: ${target} (no such heading)`);
		}
	}
	assert.ok(checked > 40, `checked only ${checked} links: the scan is broken`);
	assert.deepEqual(broken, []);
});
