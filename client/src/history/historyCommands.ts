/** Context actions of the history view: open results / timing, compare, rename, delete. */
import * as vscode from 'vscode';
import { showError, type Log } from '../log';
import type { PanelHost } from '../panelHost';
import type { StoreAccess } from '../store/storeAccess';
import { evaluationHeadline, sortExperiments } from './historyModel';
import { formatDate } from '../../../runtime/src/contracts/format.js';
import type { HistoryNode, HistoryTree } from './historyTree';
import { Commands } from '../../../runtime/src/contracts/editorProtocol.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DotevalTests } from '../testing/testController';
import { askExperimentName } from '../commands';
import { parseEvalId } from '../../../runtime/src/contracts/evalId.js';

type StoreIo = typeof import('../store/storeIo');

/** The evaluation an action targets: the node itself, or (for an experiment) one picked from it. */
async function pickEvaluation(stores: StoreAccess, node: HistoryNode): Promise<{ storePath: string; experiment: string; evalId: string } | undefined> {
	if (node.kind === 'evaluation') return { storePath: node.storePath, experiment: node.experiment, evalId: node.info.evalId };
	if (node.kind !== 'experiment') return undefined;
	const evaluations = (await (await stores.reader(node.storePath))?.listEvaluations(node.info.name)) ?? [];
	const chosen =
		evaluations.length === 1
			? evaluations[0]
			: (
					await vscode.window.showQuickPick(
						evaluations.map((e) => ({ label: e.name, description: e.evalId, e })),
						{ placeHolder: 'Which evaluation?' },
					)
				)?.e;
	return chosen && { storePath: node.storePath, experiment: node.info.name, evalId: chosen.evalId };
}

/** An experiment's evals as run targets: the stored file, else the eval id's path under the store's project. */
function evalTargets(node: Extract<HistoryNode, { kind: 'experiment' }>, onlyResumable: boolean): { file: string; evalId: string }[] {
	const projectRoot = path.dirname(node.storePath);
	return node.evaluations
		.filter((e) => !onlyResumable || evaluationHeadline(e).left > 0)
		.map((e) => ({ evalId: e.evalId, file: fs.existsSync(e.file) ? e.file : path.join(projectRoot, parseEvalId(e.evalId).file) }));
}

export function registerHistoryCommands(tree: HistoryTree, stores: StoreAccess, panels: PanelHost, tests: DotevalTests, log: Log): vscode.Disposable {
	const io = (): Promise<StoreIo> => import('../store/storeIo');
	const guard =
		<A extends unknown[]>(fn: (...args: A) => Promise<void>) =>
		async (...args: A) => {
			try {
				await fn(...args);
			} catch (error) {
				void showError(log, (error as Error).message, error);
			}
		};
	return vscode.Disposable.from(
		vscode.commands.registerCommand(Commands.historyRefresh, () => {
			for (const storePath of stores.knownStores()) stores.changed(storePath);
			tree.refresh();
		}),
		vscode.commands.registerCommand(
			Commands.historyOpenResults,
			guard(async (node: HistoryNode) => {
				const target = await pickEvaluation(stores, node);
				if (target) await panels.openResults(target.storePath, target.experiment, target.evalId);
			}),
		),
		vscode.commands.registerCommand(
			Commands.historyOpenTiming,
			guard(async (node: HistoryNode) => {
				const target = await pickEvaluation(stores, node);
				if (target) await panels.openTiming(target.storePath, target.experiment, target.evalId);
			}),
		),
		// Several experiments can be picked at once (the tutorial's step 4 compares four); the one
		// the action was invoked on is the baseline.
		vscode.commands.registerCommand(
			Commands.historyCompare,
			guard(async (node: HistoryNode, second?: string | string[]) => {
				if (node.kind === 'store') return;
				const first = node.kind === 'experiment' ? node.info.name : node.experiment;
				const others = sortExperiments((await (await stores.reader(node.storePath))?.listExperiments()) ?? []).filter((e) => e.name !== first);
				if (others.length === 0) {
					void vscode.window.showInformationMessage('There is no other experiment in this store to compare with.');
					return;
				}
				const picked =
					second !== undefined
						? [second].flat()
						: (
								await vscode.window.showQuickPick(
									others.map((e) => ({ label: e.name, description: `${e.status} · ${formatDate(e.updatedAt)}` })),
									{ placeHolder: `Compare ${first} with… (pick one or more)`, canPickMany: true },
								)
							)?.map((item) => item.label);
				if (picked?.length) await panels.compare(node.storePath, [first, ...picked]);
			}),
		),
		// Resume: into the experiment, its completed samples kept; only the evals with work left.
		vscode.commands.registerCommand(
			Commands.historyResume,
			guard(async (node: HistoryNode) => {
				if (node.kind !== 'experiment') return;
				const targets = evalTargets(node, true);
				if (targets.length === 0) {
					void vscode.window.showInformationMessage(`Experiment ${node.info.name} has nothing left to run.`);
					return;
				}
				await tests.runEvals(targets, { intent: { kind: 'resume', experiment: node.info.name } });
			}),
		),
		// Run Again: every eval of the experiment, into the experiment named (default: this one), replacing.
		vscode.commands.registerCommand(
			Commands.historyRunAgain,
			guard(async (node: HistoryNode, name?: string) => {
				if (node.kind !== 'experiment') return;
				const experiment =
					name ?? (await askExperimentName(`Run the evals of ${node.info.name} again, into experiment (their samples there are replaced)`, node.info.name));
				if (experiment) await tests.runEvals(evalTargets(node, false), { intent: { kind: 'again', experiment } });
			}),
		),
		vscode.commands.registerCommand(
			Commands.historyRename,
			guard(async (node: HistoryNode, newName?: string) => {
				if (node.kind !== 'experiment') return;
				const to =
					newName ??
					(await vscode.window.showInputBox({
						prompt: `Rename experiment ${node.info.name}`,
						value: node.info.name,
						validateInput: (v) => (v.trim() ? undefined : 'The name cannot be empty.'),
					}));
				if (!to || to === node.info.name) return;
				await (await io()).renameExperiment(node.storePath, node.info.name, to.trim());
				log.info(`renamed experiment ${node.info.name} → ${to.trim()} in ${node.storePath}`);
				stores.changed(node.storePath);
			}),
		),
		vscode.commands.registerCommand(
			Commands.historyDelete,
			guard(async (node: HistoryNode) => {
				if (node.kind !== 'experiment') return;
				const choice = await vscode.window.showWarningMessage(
					`Delete experiment "${node.info.name}" and all its results? This cannot be undone.`,
					{ modal: true },
					'Delete',
				);
				if (choice !== 'Delete') return;
				await (await io()).deleteExperiment(node.storePath, node.info.name);
				log.info(`deleted experiment ${node.info.name} from ${node.storePath}`);
				stores.changed(node.storePath);
			}),
		),
	);
}
