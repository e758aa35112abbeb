/** Context actions of the history view: open results / timing, compare, rename, delete. */
import * as vscode from 'vscode';
import { showError, type Log } from '../log';
import type { PanelHost } from '../panelHost';
import type { StoreAccess } from '../store/storeAccess';
import { sortExperiments } from './historyModel';
import { formatDate } from '../../../runtime/src/contracts/format.js';
import type { HistoryNode, HistoryTree } from './historyTree';
import { Commands } from '../../../runtime/src/contracts/editorProtocol.js';

type StoreIo = typeof import('../store/storeIo');

/** The evaluation an action targets: the node itself, or (for an experiment) one picked from it. */
async function pickEvaluation(stores: StoreAccess, node: HistoryNode): Promise<{ storePath: string; experiment: string; evalId: string } | undefined> {
	if (node.kind === 'evaluation') return { storePath: node.storePath, experiment: node.experiment, evalId: node.info.evalId };
	if (node.kind !== 'experiment') return undefined;
	const evaluations = (await (await stores.reader(node.storePath))?.listEvaluations(node.info.name)) ?? [];
	const chosen = evaluations.length === 1
		? evaluations[0]
		: (await vscode.window.showQuickPick(evaluations.map((e) => ({ label: e.name, description: e.evalId, e })), { placeHolder: 'Which evaluation?' }))?.e;
	return chosen && { storePath: node.storePath, experiment: node.info.name, evalId: chosen.evalId };
}

export function registerHistoryCommands(tree: HistoryTree, stores: StoreAccess, panels: PanelHost, log: Log): vscode.Disposable {
	const io = (): Promise<StoreIo> => import('../store/storeIo');
	const guard = <A extends unknown[]>(fn: (...args: A) => Promise<void>) => async (...args: A) => {
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
		vscode.commands.registerCommand(Commands.historyOpenResults, guard(async (node: HistoryNode) => {
			const target = await pickEvaluation(stores, node);
			if (target) await panels.openResults(target.storePath, target.experiment, target.evalId);
		})),
		vscode.commands.registerCommand(Commands.historyOpenTiming, guard(async (node: HistoryNode) => {
			const target = await pickEvaluation(stores, node);
			if (target) await panels.openTiming(target.storePath, target.experiment, target.evalId);
		})),
		// Several experiments can be picked at once (the tutorial's step 4 compares four); the one
		// the action was invoked on is the baseline.
		vscode.commands.registerCommand(Commands.historyCompare, guard(async (node: HistoryNode, second?: string | string[]) => {
			if (node.kind === 'store') return;
			const first = node.kind === 'experiment' ? node.info.name : node.experiment;
			const others = sortExperiments((await (await stores.reader(node.storePath))?.listExperiments()) ?? []).filter((e) => e.name !== first);
			if (others.length === 0) {
				void vscode.window.showInformationMessage('There is no other experiment in this store to compare with.');
				return;
			}
			const picked = second !== undefined ? [second].flat() : (await vscode.window.showQuickPick(
				others.map((e) => ({ label: e.name, description: `${e.status} · ${formatDate(e.updatedAt)}` })),
				{ placeHolder: `Compare ${first} with… (pick one or more)`, canPickMany: true }))?.map((item) => item.label);
			if (picked?.length) await panels.compare(node.storePath, [first, ...picked]);
		})),
		vscode.commands.registerCommand(Commands.historyRename, guard(async (node: HistoryNode, newName?: string) => {
			if (node.kind !== 'experiment') return;
			const to = newName ?? await vscode.window.showInputBox({
				prompt: `Rename experiment ${node.info.name}`,
				value: node.info.name,
				validateInput: (v) => (v.trim() ? undefined : 'The name cannot be empty.'),
			});
			if (!to || to === node.info.name) return;
			await (await io()).renameExperiment(node.storePath, node.info.name, to.trim());
			log.info(`renamed experiment ${node.info.name} → ${to.trim()} in ${node.storePath}`);
			stores.changed(node.storePath);
		})),
		vscode.commands.registerCommand(Commands.historyDelete, guard(async (node: HistoryNode) => {
			if (node.kind !== 'experiment') return;
			const choice = await vscode.window.showWarningMessage(
				`Delete experiment "${node.info.name}" and all its results? This cannot be undone.`, { modal: true }, 'Delete');
			if (choice !== 'Delete') return;
			await (await io()).deleteExperiment(node.storePath, node.info.name);
			log.info(`deleted experiment ${node.info.name} from ${node.storePath}`);
			stores.changed(node.storePath);
		})),
	);
}
