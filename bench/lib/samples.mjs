// The sample records the store benchmarks write: a tutorial row, its prompt and answer, one
// exact-match score, timing; one sample in 50 is an error (as in the baselines' storage rows).
const TEXTS = [
	['This movie is absolutely amazing!', 'positive'],
	['Terrible plot and awful acting', 'negative'],
	['It was an okay film, nothing special', 'neutral'],
	['Great cinematography and excellent story', 'positive'],
];

export function makeSample(i) {
	const [text, expected] = TEXTS[i % TEXTS.length];
	const now = Date.now();
	const errored = i % 50 === 49;
	return {
		index: i,
		row: { text: `${text} #${i}`, expected },
		prompt: `${text} #${i}`,
		modelResponse: errored ? null : expected,
		scores: errored ? [] : [{ name: 'exactMatch', value: true, metrics: ['accuracy'], passed: true }],
		error: errored ? { type: 'TimeoutError', message: 'the model call timed out after 30000 ms' } : null,
		passed: errored ? null : true,
		attempts: 1,
		timing: { queuedAt: now, startedAt: now, finishedAt: now + 1, queueMs: 0, backoffMs: 0, latencyMs: 1.02 },
	};
}

export const evaluationStart = (experiment, total) => ({
	experiment,
	evalId: 'bench/store.eval.ts::evalStore',
	name: 'evalStore',
	file: 'bench/store.eval.ts',
	strategy: { name: 'SlidingWindow', maxConcurrency: 100 },
	gitCommit: null,
	runtimeVersion: 'bench',
	datasetFingerprint: null,
	total,
});
