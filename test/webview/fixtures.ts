/** Test data builders for the webview panel tests (not a test file itself). */
import type { EvalSummary, StrategyInfo } from '../../runtime/src/protocol/events.js';
import type { EvaluationInfo, SampleInfo } from '../../runtime/src/store/types.js';

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

export function evaluation(experiment: string, name: string, overrides: Partial<EvalSummary> = {}, strategy: StrategyInfo = { name: 'Sequential' }): EvaluationInfo {
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
