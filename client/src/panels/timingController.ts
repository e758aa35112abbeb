/**
 * The host side of the timing panel without `vscode`: reads what the charts need from the store
 * (paging through every sample, keeping only its timing) and builds the views.
 */
import type { StoreReader } from '../../../runtime/src/store/types.js';
import { buildCompareView } from './compareData.js';
import type { CompareView, TimingView } from './messages.js';
import { buildTimingView, toTimingSample, type TimingSample } from './timingData.js';

/** Samples read per store query while collecting timings. */
const TIMING_PAGE = 5000;

/**
 * Reads every sample's timing, a page at a time, yielding to the event loop between pages so the
 * extension host stays responsive (100,000 samples take about a second to read).
 */
export async function loadTimingView(reader: StoreReader, experiment: string, evalId: string): Promise<TimingView> {
	const evaluation = await reader.getEvaluation(experiment, evalId);
	if (!evaluation) {
		throw new Error(`No evaluation '${evalId}' in experiment '${experiment}'. Run it first, or pick another one in the history view.`);
	}
	const samples: TimingSample[] = [];
	for (let offset = 0; ; offset += TIMING_PAGE) {
		const page = await reader.samples(experiment, evaluation.evalId, { offset, limit: TIMING_PAGE });
		for (const sample of page.samples) samples.push(toTimingSample(sample));
		if (page.samples.length < TIMING_PAGE || offset + TIMING_PAGE >= page.total) break;
		await new Promise((resolve) => setImmediate(resolve));
	}
	return buildTimingView(evaluation, samples);
}

export async function loadCompareView(reader: StoreReader, experiments: readonly string[]): Promise<CompareView> {
	if (experiments.length === 0) throw new Error('Pick at least one experiment to compare.');
	const known = new Set((await reader.listExperiments()).map((e) => e.name));
	return buildCompareView(experiments, await Promise.all(experiments.map((name) => (known.has(name) ? reader.listEvaluations(name) : undefined))));
}
