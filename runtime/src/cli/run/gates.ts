/**
 * The quality gates of `doteval run`: each finished evaluation against its own `threshold`, the
 * `--fail-under` minimums and, with `--baseline NAME`, the paired regression test against the same
 * evaluation in experiment NAME. Failures make the run exit GateFailed (6); interrupted and
 * failed evaluations are not gated (they have their own exit codes).
 */
import type { EvalStatus, EvalSummary, GateResult } from '../../protocol/events.js';
import type { LoadedEval } from '../../loader/collectEvals.js';
import { compareEvaluation } from '../../store/compare.js';
import type { StoreReader } from '../../store/types.js';
import { checkBaseline, checkThresholds, checkUnmatched } from '../../gates/check.js';
import type { RunOptions } from './options.js';

export interface RunGates {
	check(ev: LoadedEval, status: EvalStatus, summary: EvalSummary): Promise<GateResult[] | undefined>;
	/** Gates of the whole run, once every evaluation is done. */
	finish(): GateResult[];
}

export function createRunGates(options: RunOptions, store: StoreReader, experiment: string): RunGates {
	const gated: EvalSummary[] = [];
	let compared = 0;
	return {
		async check(ev, status, summary) {
			if (status !== 'completed') return undefined;
			gated.push(summary);
			const results: GateResult[] = [];
			if (ev.definition.thresholds) results.push(...checkThresholds(summary, ev.definition.thresholds, 'eval'));
			if (options.failUnder.length) results.push(...checkThresholds(summary, options.failUnder, 'cli'));
			if (options.baseline !== undefined) {
				const gate = await baselineGate(store, options.baseline, experiment, ev.id);
				if (gate.compared) compared++;
				results.push(...gate.results);
			}
			return results;
		},
		finish() {
			if (gated.length === 0) return [];
			const results = checkUnmatched(options.failUnder, gated);
			if (options.baseline !== undefined && compared === 0) {
				results.push({
					kind: 'baseline',
					passed: false,
					metric: '*',
					value: null,
					baseline: options.baseline,
					message: `--baseline ${options.baseline}: none of the evaluations that ran is in that experiment, so nothing was compared`,
				});
			}
			return results;
		},
	};
}

async function baselineGate(store: StoreReader, baseline: string, experiment: string, evalId: string): Promise<{ compared: boolean; results: GateResult[] }> {
	const before = await store.getEvaluation(baseline, evalId);
	if (!before) {
		// A new eval has nothing to regress from: say so, do not fail.
		return {
			compared: false,
			results: [
				{ kind: 'baseline', passed: true, metric: '*', value: null, baseline, message: `not in baseline ${baseline}: nothing to compare (a new evaluation)` },
			],
		};
	}
	const now = await store.getEvaluation(experiment, evalId);
	const a = before.datasetFingerprint;
	const b = now?.datasetFingerprint ?? null;
	if (a !== null && b !== null && a !== b) {
		return {
			compared: true,
			results: [
				{
					kind: 'baseline',
					passed: false,
					metric: '*',
					value: null,
					baseline,
					message: `against baseline ${baseline}: the dataset changed since the baseline ran (fingerprint ${a.slice(0, 12)} → ${b.slice(0, 12)}), so its samples cannot be paired by index; run the baseline again on this dataset`,
				},
			],
		};
	}
	return { compared: true, results: checkBaseline(await compareEvaluation(store, baseline, experiment, evalId), baseline) };
}
