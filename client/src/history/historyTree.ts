/**
 * The experiment history view: experiments (newest first, with status) → evaluations (metric,
 * errors, duration, date). Reads the stores lazily and refreshes when they change.
 */
import * as vscode from 'vscode';
import { isPostgresUrl, redactUrl } from '../../../runtime/src/store/postgres/location.js';
import * as path from 'node:path';
import type { EvaluationInfo, ExperimentInfo } from '../../../runtime/src/store/types.js';
import type { StoreAccess } from '../store/storeAccess';
import { evaluationLabel, experimentFigures, experimentLabel, sortExperiments, type HistoryLabel } from './historyModel';
import { Commands } from '../../../runtime/src/contracts/editorProtocol.js';

export type HistoryNode =
	| { kind: 'store'; storePath: string }
	| { kind: 'experiment'; storePath: string; info: ExperimentInfo; evaluations: EvaluationInfo[] }
	| { kind: 'evaluation'; storePath: string; experiment: string; info: EvaluationInfo };

export class HistoryTree implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
	private readonly emitter = new vscode.EventEmitter<HistoryNode | undefined>();
	readonly onDidChangeTreeData = this.emitter.event;
	private readonly subscription: vscode.Disposable;
	private pending: NodeJS.Timeout | undefined;

	constructor(private readonly stores: StoreAccess) {
		this.subscription = stores.onDidChange(() => this.refresh());
	}

	/** Throttled: during a run the store changes many times a second. */
	refresh(): void {
		this.pending ??= setTimeout(() => {
			this.pending = undefined;
			this.emitter.fire(undefined);
		}, 250);
	}

	async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
		if (!node) {
			const known = this.stores.knownStores();
			const existing: string[] = [];
			for (const storePath of known) if (await this.stores.reader(storePath)) existing.push(storePath);
			if (existing.length === 1) return this.experiments(existing[0]);
			return existing.map((storePath) => ({ kind: 'store', storePath }));
		}
		if (node.kind === 'store') return this.experiments(node.storePath);
		if (node.kind === 'experiment')
			return node.evaluations.map((info) => ({ kind: 'evaluation', storePath: node.storePath, experiment: node.info.name, info }));
		return [];
	}

	getTreeItem(node: HistoryNode): vscode.TreeItem {
		if (node.kind === 'store') {
			const team = isPostgresUrl(node.storePath);
			const item = new vscode.TreeItem(team ? 'PostgreSQL' : path.basename(path.dirname(node.storePath)), vscode.TreeItemCollapsibleState.Expanded);
			item.description = redactUrl(node.storePath);
			item.iconPath = new vscode.ThemeIcon('database');
			item.contextValue = 'doteval.store';
			return item;
		}
		const label: HistoryLabel = node.kind === 'experiment' ? experimentLabel(node.info, node.evaluations) : evaluationLabel(node.info);
		const item = new vscode.TreeItem(
			label.label,
			node.kind === 'experiment' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
		);
		item.id = node.kind === 'experiment' ? `${node.storePath}#${node.info.name}` : `${node.storePath}#${node.experiment}#${node.info.evalId}`;
		item.description = label.description;
		item.tooltip = label.tooltip;
		item.iconPath = new vscode.ThemeIcon(label.icon);
		// `.resumable` turns on Resume: an experiment with samples never run or errored.
		const resumable = node.kind === 'experiment' && node.info.status !== 'running' && experimentFigures(node.evaluations).left > 0;
		item.contextValue = node.kind === 'experiment' ? `doteval.experiment${resumable ? '.resumable' : ''}` : 'doteval.evaluation';
		if (node.kind === 'evaluation') item.command = { command: Commands.historyOpenResults, title: 'Open Results', arguments: [node] };
		return item;
	}

	private async experiments(storePath: string): Promise<HistoryNode[]> {
		const reader = await this.stores.reader(storePath);
		if (!reader) return [];
		// Summaries only (the store maintains them): per experiment its accuracy, samples and errors.
		return Promise.all(
			sortExperiments(await reader.listExperiments()).map(async (info) => ({
				kind: 'experiment' as const,
				storePath,
				info,
				evaluations: await reader.listEvaluations(info.name).catch(() => []),
			})),
		);
	}

	dispose(): void {
		clearTimeout(this.pending);
		this.subscription.dispose();
		this.emitter.dispose();
	}
}
