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

test('re-discovery of an edited 150-line file stays within a few milliseconds', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'doteval-edit-'));
	try {
		const [file] = writeCorpus(dir, 1);
		const text = readFileSync(file!, 'utf8');
		const times: number[] = [];
		for (let i = 0; i < 220; i++) {
			const edited = `${text}export const evalExtra${i} = foreach('q', [${i}])(async ({ q }) => q);\n`;
			const t = performance.now();
			const facts = discoverFile(file!, edited, dir);
			if (i >= 20) times.push(performance.now() - t);
			assert.equal(facts.evals.length, 3);
		}
		const p95 = [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)]!;
		assert.ok(p95 < 25, `p95 ${p95.toFixed(2)} ms`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
