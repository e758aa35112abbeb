/** Test data builders for the webview panel tests (not a test file itself). */
import type { EvalSummary, StrategyInfo } from '../../runtime/src/protocol/events.js';
import type { EvaluationInfo, ExperimentInfo, LastResult, SampleInfo, SamplePage, SampleQuery, StoreReader } from '../../runtime/src/store/types.js';

export function sample(index: number, overrides: Partial<SampleInfo> = {}): SampleInfo {
	const startedAt = 1_000_000 + index * 100;
	return {
		index,
		row: { text: `row ${index}`, expected: 'positive' },
		prompt: `prompt ${index}`,
		modelResponse: 'positive',
		scores: [{ name: 'exactMatch', value: true, metrics: ['accuracy'], passed: true }],
		error: null,
		passed: true,
		attempts: 1,
		timing: { queuedAt: startedAt, startedAt, finishedAt: startedAt + 50, queueMs: 0, backoffMs: 0, latencyMs: 50 },
		...overrides,
	};
}

export function summary(overrides: Partial<EvalSummary> = {}): EvalSummary {
	return {
		total: 8,
		completed: 8,
		errors: 0,
		errorsByType: {},
		metrics: [{ score: 'exactMatch', metric: 'accuracy', value: 1 }],
		wallMs: 8000,
		samplesPerSecond: 1,
		latency: null,
		strategy: { name: 'Sequential' },
		maxInFlight: 1,
		speedup: 1,
		retries: 0,
		backoffMs: 0,
		...overrides,
	};
}

export function evaluation(
	experiment: string,
	name: string,
	overrides: Partial<EvalSummary> = {},
	strategy: StrategyInfo = { name: 'Sequential' },
): EvaluationInfo {
	return {
		experiment,
		evalId: `eval_sentiment.eval.ts::${name}`,
		name,
		file: '/project/eval_sentiment.eval.ts',
		status: 'completed',
		startedAt: 1_000_000,
		finishedAt: 1_008_000,
		gitCommit: null,
		runtimeVersion: '0.1.0',
		strategy,
		datasetFingerprint: null,
		summary: summary({ strategy, ...overrides }),
	};
}

/** The parts of a StoreReader a fake answers synchronously; `storeReader` makes them the async interface. */
export interface SyncReaderParts {
	path?: string;
	listExperiments?: (nameFilter?: string) => ExperimentInfo[];
	listEvaluations?: (experiment: string) => EvaluationInfo[];
	getEvaluation?: (experiment: string, evalIdOrName: string) => EvaluationInfo | undefined;
	samples?: (experiment: string, evalId: string, query?: SampleQuery) => SamplePage;
	resultsForEval?: (evalId: string, limit?: number) => LastResult[];
}

/** A fake StoreReader over synchronous functions (defaults: an empty store). */
export function storeReader(parts: SyncReaderParts): StoreReader {
	const evaluations = (experiment: string) => parts.listEvaluations?.(experiment) ?? [];
	const samples = (experiment: string, evalId: string, query?: SampleQuery) => parts.samples?.(experiment, evalId, query) ?? { total: 0, samples: [] };
	return {
		path: parts.path ?? ':memory:',
		listExperiments: async (filter) => parts.listExperiments?.(filter) ?? [],
		experimentExists: async (name) => (parts.listExperiments?.() ?? []).some((e) => e.name === name),
		listEvaluations: async (experiment) => evaluations(experiment),
		evaluationIds: async (experiment) => evaluations(experiment).map((e) => ({ evalId: e.evalId, name: e.name })),
		getEvaluation: async (experiment, evalId) => parts.getEvaluation?.(experiment, evalId),
		scoreNames: async (experiment, evalId) => [
			...new Set(samples(experiment, evalId, { limit: Infinity }).samples.flatMap((s) => s.scores.map((sc) => sc.name))),
		],
		samples: async (experiment, evalId, query) => samples(experiment, evalId, query),
		allSamples: async function* (experiment, evalId) {
			yield* samples(experiment, evalId, { limit: Infinity }).samples;
		},
		resultsForEval: async (evalId, limit) => parts.resultsForEval?.(evalId, limit) ?? [],
		close: async () => {},
	};
}
