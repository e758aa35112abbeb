// The doteval pieces the in-process benchmarks drive, bundled from source (see build.mjs): foreach,
// Result, exactMatch, SlidingWindow and the executor. `prepareDoteval` builds the bundle in the
// orchestrator (once); workers `loadDoteval()` it and get a tiny facade that runs one eval with a
// no-op store, so the benchmarks do not depend on the executor's exact call shape.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { buildDir, bundleText, findSource, importBundle } from './build.mjs';

const bundlePath = path.join(buildDir, 'doteval-runtime.mjs');

export async function prepareDoteval() {
	const index = findSource('runtime/src/index.ts');
	const executor = findSource('runtime/src/executor/index.ts', 'runtime/src/executor/executeEval.ts');
	const concurrency = findSource('runtime/src/concurrency/index.ts');
	const evaluators = findSource('runtime/src/evaluators/index.ts');
	const missing = [[index, 'runtime/src/index.ts'], [executor, 'runtime/src/executor/'], [concurrency, 'runtime/src/concurrency/'], [evaluators, 'runtime/src/evaluators/']]
		.filter(([found]) => !found).map(([, name]) => name);
	if (missing.length) return { ok: false, why: `${missing.join(', ')} not in the tree yet` };
	try {
		await bundleText([
			`export { foreach, Result } from './${index}';`,
			`export { SlidingWindow } from './${concurrency}';`,
			`export { exactMatch } from './${evaluators}';`,
			`export { executeEval } from './${executor}';`,
		].join('\n'), 'doteval-runtime');
		return { ok: true };
	} catch (e) {
		return { ok: false, why: `runtime does not build: ${String(e.message).split('\n')[0]}` };
	}
}

export async function loadDoteval() {
	if (!existsSync(bundlePath)) throw new Error('run prepareDoteval() first');
	const rt = await importBundle(bundlePath);
	return {
		Result: rt.Result,
		exactMatch: rt.exactMatch,
		/** Run one eval over rows with a SlidingWindow and a no-op store; resolves when all samples end. */
		async runEval({ columns, rows, fn, maxConcurrency }) {
			const ev = rt.foreach(columns, rows)(fn);
			const def = ev.definition ?? ev;
			void maxConcurrency;
			return rt.executeEval(def, {
				skip: new Set(),
				signal: new AbortController().signal,
				runScope: undefined,
				concurrencyOverride: maxConcurrency,
				onSampleStart() {},
				onSampleEnd() {},
			});
		},
	};
}
