/**
 * After a partial run (some samples, "Run 10 samples", Rerun Failed) the eval item shows the
 * experiment's whole evaluation — the samples this run replaced and the ones it kept — by the same
 * headline rule as the lens, not the verdict of the few samples that ran.
 */
import * as vscode from 'vscode';
import { headline } from '../../../runtime/src/contracts/headline';
import type { StoreReader } from '../../../runtime/src/store/types';

export async function reportAggregate(
	run: vscode.TestRun,
	item: vscode.TestItem,
	reader: StoreReader,
	experiment: string,
	evalId: string,
	wallMs: number,
): Promise<void> {
	const evaluation = await reader.getEvaluation(experiment, evalId);
	if (!evaluation) return;
	const s = evaluation.summary;
	const passed = (await reader.samples(experiment, evalId, { filter: 'passed', limit: 1 })).total;
	const h = headline({ status: evaluation.status, total: s.total, completed: s.completed, errors: s.errors, passed });
	const of = `${s.completed}${s.total === null ? '' : ` of ${s.total}`}`;
	item.description = `${experiment}: ${passed}/${s.completed} passed${s.total !== null && s.completed < s.total ? `, ${of} ran` : ''}`;
	const say = (text: string) => new vscode.TestMessage(`${text} (experiment ${experiment}, ${of} samples stored)`);
	if (h.state === 'errored') run.errored(item, say(`${s.errors} sample(s) errored`), wallMs);
	else if (h.state === 'failed') run.failed(item, say(`${h.failed} sample(s) failed`), wallMs);
	else if (h.state === 'could-not-run' || h.state === 'interrupted') run.errored(item, say(`${evaluation.name} is ${evaluation.status}`), wallMs);
	else run.passed(item, wallMs);
}
