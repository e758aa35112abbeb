/** Shows an eval's last stored results (latest experiment that ran it) as sample items with states. */
import * as vscode from 'vscode';
import type { StoreAccess } from '../store/storeAccess';
import { sampleOutcome } from './sampleOutcome';
import type { FrameFilter } from './stackFrames';
import { nodeOf } from './testData';
import { ensureSampleItem } from './testItems';
import { sampleLabel } from './treeModel';
import { maxSampleItems, reportOutcome } from './applyAction';
import { reportAggregate } from './aggregateState';

/**
 * Adds sample items for the eval's latest stored samples and reports their states on the run that
 * `run()` returns; called only when there are samples, so an eval never run leaves no empty run behind.
 * `framesFor` hides the frames of the runtime that runs the file, as in a live run (stackFrames.ts).
 */
export async function loadStoredSamples(
	controller: vscode.TestController,
	stores: StoreAccess,
	evalItem: vscode.TestItem,
	run: () => vscode.TestRun,
	framesFor: (file: string) => FrameFilter,
): Promise<number> {
	const node = nodeOf(evalItem);
	if (node.kind !== 'eval') return 0;
	const frames = framesFor(node.file);
	const reader = await stores.reader(stores.storePathFor(node.file));
	const last = (await reader?.resultsForEval(node.evalId, 1))?.[0];
	if (!reader || !last) return 0;
	const page = await reader.samples(last.experiment, node.evalId, { limit: maxSampleItems });
	if (page.samples.length === 0) return 0;
	const testRun = run();
	// The eval's own state and wall time first: VS Code shows a parent without a duration of its own
	// as the sum of its children's (here the samples' latencies, which concurrency makes several
	// times the real time), and keeps that sum once computed.
	await reportAggregate(testRun, evalItem, reader, last.experiment, node.evalId, last.evaluation.summary.wallMs);
	for (const sample of page.samples) {
		const item = ensureSampleItem(controller, evalItem, sample.index, sampleLabel(sample.index, sample.row));
		reportOutcome(testRun, item, sampleOutcome(sample, frames));
	}
	return page.samples.length;
}
