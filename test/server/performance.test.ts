/**
 * Guards against discovery becoming a different kind of work (a Program, a full walk with parent
 * pointers): bounds are generous multiples of the goals, which `npm run bench` measures precisely
 * (goals: cold index ≤ 1.2× a raw createSourceFile loop; re-discovery after an edit ≤ 5 ms p95).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverFile, indexFiles, loadTypeScript } from '../../server/src/discovery/index';
import { writeCorpus } from './corpus';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test('indexing eval files costs about a plain parse of them', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'doteval-corpus-'));
	try {
		const files = writeCorpus(dir, 300);
		const ts = loadTypeScript();
		const raw = () => {
			for (const f of files) ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, false);
		};
		let found = 0;
		const index = () => (found = indexFiles(files).reduce((n, f) => n + f.evals.length, 0));
		// CPU time of this process: other processes on a busy machine change wall time, not this.
		const time = (fn: () => void) => {
			const before = process.cpuUsage();
			fn();
			const used = process.cpuUsage(before);
			return (used.user + used.system) / 1000;
		};
		time(raw); // warm the parser once so neither side pays the JIT alone
		const rawTimes: number[] = [];
		const indexTimes: number[] = [];
		for (let round = 0; round < 5; round++) {
			rawTimes.push(time(raw));
			indexTimes.push(time(index));
		}
		assert.equal(found, 600);
		const ratio = median(indexTimes) / median(rawTimes);
		assert.ok(ratio < 2, `index ${median(indexTimes).toFixed(0)} ms vs raw parse ${median(rawTimes).toFixed(0)} ms = ${ratio.toFixed(2)}×`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('re-discovering an edited 150-line file costs about a plain re-parse of it', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'doteval-edit-'));
	try {
		const [file] = writeCorpus(dir, 1);
		const text = readFileSync(file!, 'utf8');
		const ts = loadTypeScript();
		const edits = Array.from({ length: 200 }, (_, i) => `${text}export const evalExtra${i} = foreach('q', [${i}])(async ({ q }) => q);\n`);
		let found = 0;
		const discover = () => {
			for (const edited of edits) found = discoverFile(file!, edited, dir).evals.length;
		};
		const raw = () => {
			for (const edited of edits) ts.createSourceFile(file!, edited, ts.ScriptTarget.Latest, false);
		};
		// CPU time, as above: a ratio against the parse alone, never a lone absolute time.
		const time = (fn: () => void) => {
			const before = process.cpuUsage();
			fn();
			const used = process.cpuUsage(before);
			return (used.user + used.system) / 1000;
		};
		time(raw);
		time(discover);
		const rawTimes: number[] = [];
		const discoverTimes: number[] = [];
		for (let round = 0; round < 5; round++) {
			rawTimes.push(time(raw));
			discoverTimes.push(time(discover));
		}
		assert.equal(found, 3);
		const ratio = median(discoverTimes) / median(rawTimes);
		assert.ok(
			ratio < 3,
			`re-discovery ${median(discoverTimes).toFixed(0)} ms vs raw re-parse ${median(rawTimes).toFixed(0)} ms per 200 edits = ${ratio.toFixed(2)}×`,
		);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
