/**
 * `run(evalFn, options)`: one eval from a script or a notebook, stored and resumed exactly as
 * `doteval run` does (same store, same ids, same resume rules), returning the summary and the
 * records. The store, executor and CLI loop are imported on first call, so `import 'doteval'` in
 * an eval file stays as light as before.
 * @example
 * import { run } from 'doteval';
 * import { evalSentiment } from './eval_sentiment.js';
 * const result = await run(evalSentiment, { experiment: 'notebook', samples: 20, concurrency: 4 });
 * console.log(result.summary.metrics[0], result.records.filter((r) => r.error));
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { EvalStatus, EvalSummary, GateResult, SampleEndEvent } from '../protocol/events.js';
import type { SampleInfo } from '../store/types.js';
import type { EvalDefinitionRuntime } from '../core/types.js';
import { getEvalDefinition } from '../core/registry.js';
import { findProjectRoot, makeEvalId } from '../contracts/evalId.js';
import { isPostgresUrl } from '../contracts/storage.js';

/** Options of `run(evalFn, options)`: the `doteval run` flags, as an object. */
export interface RunOptions {
	/** Store into this experiment; running again with the same name resumes it. Default: a new one named by the time. */
	experiment?: string;
	/** Only the first N samples of the dataset (a total, also on resume). */
	samples?: number;
	/** The store, as `--storage`: a folder or a `postgres://` URL; default: `$DOTEVAL_STORAGE`, else `.doteval/` in the project root of the current folder. */
	storage?: string;
	/** Run N samples at once (a SlidingWindow), whatever the eval configures. */
	concurrency?: number;
	/** Run only these 0-based sample indexes. */
	onlySamples?: Iterable<number>;
	/** Resume even though the dataset changed since the experiment began. */
	force?: boolean;
	/** Aborting stops starting samples; the ones in flight finish and are stored (status 'interrupted'). */
	signal?: AbortSignal;
	/** The eval's name (its id is `<file>::<name>`), when it cannot be found among its module's exports. */
	name?: string;
	/** Called with each sample as it ends (progress in a notebook). */
	onSample?(sample: SampleInfo): void;
}

/** What `run()` resolves with: the evaluation's status, summary and stored records. */
export interface RunResult {
	experiment: string;
	evalId: string;
	/** The store the results went to. */
	storage: string;
	status: EvalStatus;
	/** The evaluation's summary over every run of the experiment (timing: this run). */
	summary: EvalSummary;
	/** Samples completed by earlier runs of the experiment, skipped now. */
	alreadyDone: number;
	/** Why the evaluation could not run (a fixture's setup, a changed dataset without `force`). */
	failure?: { message: string };
	/** The eval's own thresholds, checked (`new ForEach({ threshold })`). */
	gates?: GateResult[];
	/** Every stored sample of the evaluation in this experiment, in index order (earlier runs' too). */
	records: SampleInfo[];
}

/** Runs one eval into the store, as `doteval run` would, and resolves with its results (see the module comment). */
export async function run(evalFn: unknown, options: RunOptions = {}): Promise<RunResult> {
	const definition = getEvalDefinition(evalFn);
	if (!definition)
		throw new TypeError(
			`run(evalFn): evalFn must be an eval made by foreach(columns, dataset)(fn); got ${typeof evalFn === 'function' ? `the plain function ${evalFn.name || '(anonymous)'}` : typeof evalFn}`,
		);
	checkOptions(options);
	const file = definition.definedAt?.file ?? process.argv[1] ?? process.cwd();
	const name = options.name ?? (await exportName(definition, file)) ?? definition.name;
	if (!name)
		throw new TypeError(
			`run(evalFn): cannot name this eval (an anonymous function that its module does not export); export it as a const or pass { name: 'evalSomething' }`,
		);
	const ev = { id: makeEvalId(findProjectRoot(file, existsSync), file, name), name, file, line: definition.definedAt?.line ?? null, definition };

	const [
		{ resolveStoragePath, timestampExperimentName },
		{ openStoreAt },
		{ runEvaluation },
		{ createRunScope },
		{ createLogger, parseLogLevel },
		{ gitCommit },
		{ runtimeVersion },
		{ createRunGates },
	] = await Promise.all([
		import('../store/index.js'),
		import('../store/open.js'),
		import('../cli/run/runEvaluation.js'),
		import('../fixtures/scope.js'),
		import('../cli/logger.js'),
		import('../cli/run/gitCommit.js'),
		import('../cli/version.js'),
		import('../cli/run/gates.js'),
	]);
	const experiment = options.experiment ?? timestampExperimentName();
	const storage = resolveStoragePath({ storage: options.storage, cwd: process.cwd(), env: process.env });
	const runOptions = {
		targets: [],
		experiment: options.experiment,
		samples: options.samples,
		concurrency: options.concurrency,
		reporter: 'pretty' as const,
		extraReporters: [],
		failUnder: [],
		storage,
		list: false,
		force: options.force === true,
		onlySamples: options.onlySamples ? new Set(options.onlySamples) : undefined,
		rerun: false,
	};
	// A folder or a postgres:// URL (the PostgreSQL team store, loaded only then), as --storage.
	const store = await openStoreAt(storage);
	const runScope = createRunScope();
	let started: { alreadyDone: number } | undefined;
	let ended: { status: EvalStatus; summary: EvalSummary; failure?: { message: string }; gates?: GateResult[] } | undefined;
	// Each sample's prints go into its record (`output`) and still reach the terminal.
	const stopCapture = (await import('../executor/sampleOutput.js')).captureSampleOutput({ passThrough: true });
	try {
		await runEvaluation(ev, {
			store,
			experiment,
			options: runOptions,
			signal: options.signal ?? new AbortController().signal,
			runScope,
			log: createLogger(process.stderr, parseLogLevel(process.env.DOTEVAL_LOG)),
			emit: (event) => {
				if (event.type === 'eval-start') started = event;
				else if (event.type === 'eval-end') ended = event;
				else if (event.type === 'sample-end') options.onSample?.(withoutEnvelope(event));
			},
			gitCommit: gitCommit(process.cwd()),
			runtimeVersion: runtimeVersion(),
			checkGates: createRunGates(runOptions, store, experiment).check,
		});
		const records: SampleInfo[] = [];
		for await (const sample of store.allSamples(experiment, ev.id)) records.push(sample);
		const end = ended!;
		return {
			// The store's own name for itself: a URL's password is never handed back.
			experiment,
			evalId: ev.id,
			storage: isPostgresUrl(storage) ? store.path : storage,
			status: end.status,
			summary: end.summary,
			alreadyDone: started?.alreadyDone ?? 0,
			...(end.failure ? { failure: end.failure } : {}),
			...(end.gates ? { gates: end.gates } : {}),
			records,
		};
	} finally {
		stopCapture();
		try {
			await runScope.teardown();
		} finally {
			await store.close();
		}
	}
}

function withoutEnvelope(event: SampleEndEvent): SampleInfo {
	const { type: _type, evalId: _evalId, ...sample } = event;
	return sample;
}

function checkOptions(options: RunOptions): void {
	if (typeof options !== 'object' || options === null)
		throw new TypeError(`run(evalFn, options): options must be an object such as { experiment, samples, storage, concurrency }`);
	for (const key of ['samples', 'concurrency'] as const) {
		const value = options[key];
		if (value !== undefined && (!Number.isSafeInteger(value) || value < 1))
			throw new TypeError(`run(evalFn, options): ${key} must be a whole number ≥ 1; got ${JSON.stringify(value)}`);
	}
	if (options.experiment !== undefined && (typeof options.experiment !== 'string' || options.experiment.trim() === ''))
		throw new TypeError(`run(evalFn, options): experiment must be a non-empty name`);
}

/** The export that is this eval, found in its (already loaded, so cached) module: the id the CLI gives it. */
async function exportName(definition: EvalDefinitionRuntime, file: string): Promise<string | undefined> {
	if (!definition.definedAt || !existsSync(file)) return undefined;
	// The module still evaluating (the script itself, awaiting run() at its top level) would never
	// resolve its own import: give up on it quickly and fall back to the function's name.
	let timer: NodeJS.Timeout | undefined;
	const stillLoading = new Promise<undefined>((resolve) => {
		timer = setTimeout(resolve, 200, undefined);
	});
	try {
		const module = (await Promise.race([import(pathToFileURL(file).href), stillLoading])) as Record<string, unknown> | undefined;
		if (!module) return undefined;
		for (const [key, value] of Object.entries(module)) if (key !== 'default' && getEvalDefinition(value) === definition) return key;
	} catch {
		// a module that cannot be imported again here (a .ts file outside a TypeScript loader): use the function's name
	} finally {
		clearTimeout(timer);
	}
	return undefined;
}
