/**
 * Comparing one evaluation across two experiments, samples paired by dataset index: per score, the
 * mean difference with a paired 95 % interval; for pass/fail, McNemar's exact test on the discordant
 * pairs and the lists of samples that went pass→fail and fail→pass. Used by `doteval diff` (and
 * usable by the editor).
 */
import { addValue, emptyMoments, estimateMean, numericValue } from '../metrics/index.js';
import type { ModelUsageSummary, TrialsSummary } from '../protocol/events.js';
import { MAX_TRIALS } from '../metrics/trials.js';
import type { SampleInfo, StoreReader } from './types.js';

export interface ScoreDelta {
	score: string;
	/** Pairs where both sides have a numeric value (errors count as 0, as in the summaries). */
	pairs: number;
	a: number;
	b: number;
	delta: number;
	/** 95 % interval of the mean paired difference (Student t). */
	ci95?: [number, number];
}

export interface Comparison {
	/** The evaluation compared (in A, and in B unless evalIdB says otherwise). */
	evalId: string;
	/** The evaluation of B when it is another eval over the same dataset (`diff A::evalX B::evalY`). */
	evalIdB?: string;
	paired: number;
	onlyA: number;
	onlyB: number;
	scores: ScoreDelta[];
	passToFail: number[];
	failToPass: number[];
	/** Pairs with a pass/fail outcome on both sides. */
	passFailPairs: number;
	/** McNemar exact two-sided p-value over the discordant pairs; null without pass/fail outcomes. */
	mcnemarP: number | null;
	/** pass@k / pass^k of each side, when either ran its rows more than once (samples pair by index and trial). */
	trials?: { a: TrialsSummary | null; b: TrialsSummary | null };
	/** Model calls, tokens and cost of each side, when either made model calls (doteval/models). */
	models?: { a: ModelUsageSummary | null; b: ModelUsageSummary | null };
}

/** A sample's pairing key: its index and trial (trial t of a row in A meets trial t of it in B). */
const keyOf = (sample: SampleInfo): number => sample.index * MAX_TRIALS + (sample.trial ?? 0);

/** Adds an index once (a row whose several trials flipped is listed once). */
function addOnce(list: number[], index: number): void {
	if (list[list.length - 1] !== index && !list.includes(index)) list.push(index);
}

interface Side {
	pass: boolean | null;
	error: boolean;
	values: Map<string, number>;
}

function sideOf(sample: SampleInfo, layout: Set<string>): Side {
	const values = new Map<string, number>();
	for (const score of sample.scores) {
		layout.add(score.name);
		const v = numericValue(score.value);
		if (v !== undefined) values.set(score.name, v);
	}
	const pass = sample.error ? false : sample.passed;
	return { pass, error: sample.error !== null, values };
}

/** Two-sided exact binomial test of k successes in n at p = 0.5 (McNemar on b, c with n = b + c). */
export function mcnemarExact(b: number, c: number): number {
	const n = b + c;
	if (n === 0) return 1;
	const k = Math.min(b, c);
	let logCoefficient = 0;
	let tail = 0;
	for (let i = 0; i <= k; i++) {
		if (i > 0) logCoefficient += Math.log(n - i + 1) - Math.log(i);
		tail += Math.exp(logCoefficient - n * Math.LN2);
	}
	return Math.min(1, 2 * tail);
}

/** Pairs `evalId` in A with `evalIdB` (default: the same id) in B by dataset index. */
export async function compareEvaluation(reader: StoreReader, experimentA: string, experimentB: string, evalId: string, evalIdB = evalId): Promise<Comparison> {
	const layout = new Set<string>();
	const a = new Map<number, Side>();
	for await (const sample of reader.allSamples(experimentA, evalId)) a.set(keyOf(sample), sideOf(sample, layout));
	const moments = new Map<string, { a: number; b: number; diff: ReturnType<typeof emptyMoments> }>();
	const passToFail: number[] = [];
	const failToPass: number[] = [];
	let paired = 0;
	let onlyB = 0;
	let passFailPairs = 0;
	const seen = new Set<number>();
	for await (const sample of reader.allSamples(experimentB, evalIdB)) {
		const key = keyOf(sample);
		const left = a.get(key);
		if (!left) {
			onlyB++;
			continue;
		}
		const right = sideOf(sample, layout);
		seen.add(key);
		paired++;
		for (const score of layout) {
			// An errored sample has no scores: it counts as 0, the same rule the summaries use.
			const va = left.values.get(score) ?? (left.error ? 0 : undefined);
			const vb = right.values.get(score) ?? (right.error ? 0 : undefined);
			if (va === undefined || vb === undefined) continue;
			let m = moments.get(score);
			if (!m) moments.set(score, (m = { a: 0, b: 0, diff: emptyMoments() }));
			m.a += va;
			m.b += vb;
			addValue(m.diff, vb - va);
		}
		if (left.pass !== null && right.pass !== null) {
			passFailPairs++;
			if (left.pass && !right.pass) addOnce(passToFail, sample.index);
			else if (!left.pass && right.pass) addOnce(failToPass, sample.index);
		}
	}
	const scores: ScoreDelta[] = [...moments].map(([score, m]) => {
		const n = m.diff.n;
		// Force the t interval: a difference of 0/1 values is -1/0/1, not a proportion.
		const estimate = estimateMean({ ...m.diff, binary: false });
		return { score, pairs: n, a: m.a / n, b: m.b / n, delta: estimate.value, ...(estimate.ci95 ? { ci95: estimate.ci95 } : {}) };
	});
	const summaryA = (await reader.getEvaluation(experimentA, evalId))?.summary;
	const summaryB = (await reader.getEvaluation(experimentB, evalIdB))?.summary;
	const trialsA = summaryA?.trials ?? null;
	const trialsB = summaryB?.trials ?? null;
	const modelsA = summaryA?.models ?? null;
	const modelsB = summaryB?.models ?? null;
	return {
		evalId,
		...(evalIdB !== evalId ? { evalIdB } : {}),
		...(trialsA || trialsB ? { trials: { a: trialsA, b: trialsB } } : {}),
		...(modelsA || modelsB ? { models: { a: modelsA, b: modelsB } } : {}),
		paired,
		onlyA: a.size - seen.size,
		onlyB,
		scores,
		passToFail,
		failToPass,
		passFailPairs,
		mcnemarP: passFailPairs ? mcnemarExact(passToFail.length, failToPass.length) : null,
	};
}
