/**
 * Pure data shaping for the side-by-side comparison of experiments (the tutorial's step 4:
 * sync_baseline vs async_basic vs concurrent_test vs high_concurrency).
 *
 * Alignment: when every experiment holds exactly one evaluation (the tutorial's case, where the
 * evaluations have different names), the experiments are compared directly. Otherwise rows are
 * matched by evaluation name, so `eval_a` is only ever compared with `eval_a`.
 */
import type { EvaluationInfo } from '../../../runtime/src/store/types.js';
import type { CompareMetricRow, CompareRunView, CompareView } from './messages.js';
import { strategyLabel } from './timingData.js';

type Unit = CompareMetricRow['unit'];

interface RowSpec {
	label: string;
	/** The evaluation name this row belongs to; '' when experiments are compared directly. */
	alignKey: string;
	kind: CompareMetricRow['kind'];
	better: CompareMetricRow['better'];
	unit: Unit;
	/** The value of this row for one evaluation, or null if it does not have it. */
	pick: (evaluation: EvaluationInfo) => number | null;
}

export function toCompareRun(evaluation: EvaluationInfo): CompareRunView {
	const { summary } = evaluation;
	return {
		experiment: evaluation.experiment,
		evalId: evaluation.evalId,
		name: evaluation.name,
		strategy: strategyLabel(summary.strategy ?? evaluation.strategy),
		wallMs: summary.wallMs,
		samplesPerSecond: summary.samplesPerSecond,
		speedup: summary.speedup,
		maxInFlight: summary.maxInFlight,
		completed: summary.completed,
		errors: summary.errors,
	};
}

function timingSpecs(): (Omit<RowSpec, 'label' | 'alignKey'> & { title: string })[] {
	return [
		{ title: 'Wall time', kind: 'timing', better: 'lower', unit: 'ms', pick: (e) => e.summary.wallMs },
		{ title: 'Samples/s', kind: 'timing', better: 'higher', unit: 'perSecond', pick: (e) => e.summary.samplesPerSecond },
		{ title: 'Speedup', kind: 'timing', better: 'higher', unit: 'times', pick: (e) => e.summary.speedup },
		{ title: 'Max in flight', kind: 'timing', better: 'higher', unit: 'count', pick: (e) => e.summary.maxInFlight },
		{ title: 'Errors', kind: 'timing', better: 'lower', unit: 'count', pick: (e) => e.summary.errors },
	];
}

/**
 * `evaluations[i]` are the evaluations of `experiments[i]` (undefined when the store does not know
 * the experiment). Deltas are against the first known experiment, the baseline.
 */
export function buildCompareView(experiments: readonly string[], evaluations: readonly (readonly EvaluationInfo[] | undefined)[]): CompareView {
	const known = experiments
		.map((name, i) => ({ name, evaluations: [...(evaluations[i] ?? [])].sort((a, b) => a.name.localeCompare(b.name)) }))
		.filter((_, i) => evaluations[i] !== undefined);
	const missing = experiments.filter((_, i) => evaluations[i] === undefined);
	const oneEach = known.every((e) => e.evaluations.length <= 1);
	const alignKeys = oneEach ? [''] : unique(known.flatMap((e) => e.evaluations.map((ev) => ev.name)));

	const specs: RowSpec[] = [];
	for (const key of alignKeys) {
		const prefix = key ? `${key} · ` : '';
		for (const spec of timingSpecs()) specs.push({ ...spec, alignKey: key, label: `${prefix}${spec.title}` });
		const metricKeys = unique(
			known.flatMap((e) =>
				e.evaluations.filter((ev) => oneEach || ev.name === key).flatMap((ev) => ev.summary.metrics.map((m) => `${m.score}\u0000${m.metric}`)),
			),
		);
		for (const metricKey of metricKeys) {
			const [score, metric] = metricKey.split('\u0000');
			specs.push({
				label: `${prefix}${score} ${metric}`,
				alignKey: key,
				kind: 'metric',
				better: 'higher',
				unit: 'ratio',
				pick: (ev) => ev.summary.metrics.find((m) => m.score === score && m.metric === metric)?.value ?? null,
			});
		}
	}

	const rows = specs.map((spec): CompareMetricRow => {
		const values = known.map((e) => {
			const evaluation = oneEach ? e.evaluations[0] : e.evaluations.find((ev) => ev.name === spec.alignKey);
			return evaluation ? spec.pick(evaluation) : null;
		});
		const baseline = values[0];
		const deltas = values.map((value, i) => (i === 0 || value === null || baseline === null ? null : value - baseline));
		return { label: spec.label, kind: spec.kind, better: spec.better, unit: spec.unit, values, deltas };
	});

	return {
		experiments: known.map((e) => e.name),
		evaluations: known.map((e) => e.evaluations.map((ev) => ev.name)),
		runs: known.flatMap((e) => e.evaluations.map(toCompareRun)),
		rows,
		missing,
	};
}

function unique<T>(items: T[]): T[] {
	return [...new Set(items)];
}
