// The doteval pieces the scheduler benchmark drives, from the built runtime (the bench's snapshot of runtime/dist, what
// `import 'doteval'` gives a user): ForEach + SlidingWindow, Result, exactMatch and the executor that
// `doteval run` uses (`executeEval`, from 'doteval/runner'). The facade runs one eval with a no-op store (callbacks that
// drop the sample records), so only the executor and the scheduler are measured.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runtimeDist } from './snapshot.mjs';

const dist = runtimeDist;
const entry = (name) => pathToFileURL(path.join(dist, `${name}.js`)).href;

export async function prepareDoteval() {
	if (!existsSync(path.join(dist, 'runner.js'))) return { ok: false, why: 'runtime/dist/runner.js not built' };
	const runner = await import(entry('runner'));
	if (typeof runner.executeEval !== 'function') return { ok: false, why: 'the runtime does not export executeEval yet' };
	return { ok: true };
}

export async function loadDoteval() {
	const [index, runner, concurrency, evaluators] = await Promise.all([
		import(entry('index')),
		import(entry('runner')),
		import(entry('concurrency')),
		import(entry('evaluators')),
	]);
	return {
		Result: index.Result,
		exactMatch: evaluators.exactMatch,
		/** Run one eval over rows with SlidingWindow({ maxConcurrency }) and a no-op store. */
		async runEval({ columns, rows, fn, maxConcurrency }) {
			const foreachWindow = new index.ForEach({ concurrency: new concurrency.SlidingWindow({ maxConcurrency }) });
			const def = runner.getEvalDefinition(foreachWindow(columns, rows)(fn));
			const outcome = await runner.executeEval(def, {
				skip: new Set(),
				signal: new AbortController().signal,
				runScope: undefined,
				onSampleStart() {},
				onSampleEnd() {},
			});
			const s = outcome.summary;
			if (s.completed !== rows.length || s.errors) throw new Error(`executor completed ${s.completed} of ${rows.length} samples, ${s.errors} errors`);
			return outcome;
		},
	};
}
