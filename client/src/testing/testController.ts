/**
 * The Test Explorer: a TestController whose tree comes from the language server's discovery
 * (folder → file → eval), with sample items added as results stream in or loaded from the store.
 * Run and Debug profiles; a sample item runs only that sample (`--only-samples`).
 */
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import type { FileEvals } from '../../../runtime/src/contracts/editorProtocol.js';
import { showError, type Log } from '../log';
import { ensureTrusted } from '../trust';
import { planRuns, type PlanOptions, type RunPlan, type RunTarget } from '../runner/plan';
import type { RunService } from '../runner/runService';
import { readSettings, storageSetting } from '../config';
import { experimentChoice, type ExperimentIntent } from '../runner/experimentChoice';
import { reportAggregate } from './aggregateState';
import type { StoreAccess } from '../store/storeAccess';
import { ActionApplier } from './applyAction';
import { loadStoredSamples } from './storedResults';
import { nodeOf } from './testData';
import { syncChildren } from './testItems';
import { groupSamples, narrowestSelection } from './runSelection';
import { buildTree, sampleNodeId, type EvalNode } from './treeModel';

export interface RunOptions extends Omit<PlanOptions, 'experiment' | 'rerun'> {
	debug?: boolean;
	/** Which experiment, and resume or replace (experimentChoice.ts); default: the editor's experiment. */
	intent?: ExperimentIntent;
}

const isDirectory = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();

export class DotevalTests implements vscode.Disposable {
	readonly controller = vscode.tests.createTestController('doteval', 'doteval');
	private readonly files = new Map<string, FileEvals>();
	private readonly disposables: vscode.Disposable[] = [this.controller];

	constructor(private readonly runs: RunService, private readonly stores: StoreAccess, private readonly log: Log) {
		this.controller.resolveHandler = async (item) => {
			if (!item) return;
			// Loaded once; an eval whose samples already streamed in keeps those (they are newer).
			item.canResolveChildren = false;
			if (item.children.size > 0) return;
			let run: vscode.TestRun | undefined;
			try {
				await loadStoredSamples(this.controller, this.stores, item, () => (run = this.controller.createTestRun(new vscode.TestRunRequest([item]), 'doteval: last stored results', false)), (file) => this.runs.frameFilterFor(file));
			} catch (error) {
				item.error = `cannot load stored results: ${(error as Error).message}`;
			} finally {
				run?.end();
			}
		};
		const runProfile = this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.handle(request, token, false), true);
		const debugProfile = this.controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, (request, token) => this.handle(request, token, true), true);
		this.disposables.push(runProfile, debugProfile, vscode.workspace.onDidChangeWorkspaceFolders(() => this.rebuild()));
	}

	/** The Test Explorer's refresh button asks the language server again. */
	setRefresh(list: () => Promise<FileEvals[]>): void {
		this.controller.refreshHandler = async () => this.setAll(await list());
	}

	/** Replaces every file's evals (the server's answer to ListEvalsRequest). */
	setAll(files: FileEvals[]): void {
		this.files.clear();
		for (const f of files) this.files.set(f.file, f);
		this.rebuild();
	}

	/** One file's evals changed (EvalsChangedNotification). */
	update(file: FileEvals): void {
		if (file.evals.length === 0) this.files.delete(file.file);
		else this.files.set(file.file, file);
		this.rebuild();
	}

	/** Runs (or debugs) eval items by eval id, as the CodeLens commands do; results go to the Test Explorer. */
	async runEval(file: string, evalId: string, options: RunOptions = {}): Promise<void> {
		await this.runEvals([{ file, evalId }], options);
	}

	/** Several evals in one Test Explorer run (an experiment's evals, run again or resumed). */
	async runEvals(evals: readonly { file: string; evalId: string }[], options: RunOptions = {}): Promise<void> {
		const items = evals.map((e) => this.evalItem(e.file, e.evalId)).filter((i) => i !== undefined);
		const targets: RunTarget[] = evals.map((e) => ({ kind: 'eval', file: e.file, evalId: e.evalId }));
		await this.execute(items, targets, options, undefined);
	}

	evalItem(file: string, evalId: string): vscode.TestItem | undefined {
		for (const [, folder] of this.controller.items) {
			for (const [, fileItem] of folder.children) {
				for (const [, item] of fileItem.children) {
					const node = nodeOf(item);
					if (node.kind === 'eval' && node.file === file && node.evalId === evalId) return item;
				}
			}
		}
		return undefined;
	}

	private rebuild(): void {
		const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.fsPath }));
		syncChildren(this.controller, this.controller.items, buildTree(folders, [...this.files.values()]));
	}

	private async handle(request: vscode.TestRunRequest, token: vscode.CancellationToken, debug: boolean): Promise<void> {
		if (!ensureTrusted(this.log)) return;
		const excluded = new Set(request.exclude ?? []);
		const included = request.include ?? [...this.controller.items].map(([, item]) => item);
		// Rerun Failed includes failed samples and their parent eval: run only the samples, once.
		const narrowed = narrowestSelection(included, [...excluded], { parent: (item) => item.parent });
		const { others: roots, samples: samplePlans } = groupSamples(narrowed, (item) => {
			const node = nodeOf(item);
			return node.kind === 'sample' && item.parent ? { eval: item.parent, index: node.index } : undefined;
		});
		const targets: RunTarget[] = [];
		const visit = (item: vscode.TestItem) => {
			if (excluded.has(item)) return;
			const node = nodeOf(item);
			if (node.kind === 'eval') {
				targets.push({ kind: 'eval', file: node.file, evalId: node.evalId });
			} else if (node.kind === 'folder' || excluded.size > 0) {
				// A folder runs file by file, so each file runs in its own project root (nested packages);
				// with something below excluded, a file runs eval by eval.
				item.children.forEach(visit);
			} else if (node.kind === 'file') {
				targets.push({ kind: 'path', path: node.file });
			}
		};
		roots.forEach(visit);
		const run = this.controller.createTestRun(request);
		try {
			for (const [evalItem, indexes] of samplePlans) {
				const node = nodeOf(evalItem) as EvalNode;
				await this.execute(indexes.map((i) => evalItem.children.get(sampleNodeId(evalItem.id, i))).filter((i) => i !== undefined), [{ kind: 'eval', file: node.file, evalId: node.evalId }], { onlySamples: indexes, debug }, token, run);
				if (token.isCancellationRequested) break;
			}
			if (targets.length && !token.isCancellationRequested) await this.execute(roots, targets, { debug }, token, run);
		} finally {
			run.end();
		}
	}

	/** Runs the plans for `targets`, reporting into `run` (a new run over `items` when not given). */
	private async execute(items: readonly vscode.TestItem[], targets: RunTarget[], options: RunOptions, token: vscode.CancellationToken | undefined, run?: vscode.TestRun): Promise<void> {
		if (!ensureTrusted(this.log)) return;
		const ownRun = !run;
		const testRun = run ?? this.controller.createTestRun(new vscode.TestRunRequest(items));
		// A run started from a lens has no profile token: the stop button of the Test Explorer cancels testRun.token.
		token ??= testRun.token;
		const { debug, intent, ...planOptions } = options;
		const anchor = targets.length ? (targets[0].kind === 'eval' ? targets[0].file : targets[0].path) : undefined;
		const storage = anchor ? storageSetting(anchor) : undefined;
		const scope = anchor ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(anchor)) ?? vscode.Uri.file(anchor) : undefined;
		const choice = experimentChoice(intent ?? { kind: 'editor' }, readSettings(scope).experiment);
		const plans: RunPlan[] = planRuns(targets, { ...planOptions, ...choice, storage }, fs.existsSync, isDirectory);
		try {
			for (const item of items) testRun.enqueued(item);
			for (const plan of plans) {
				if (token?.isCancellationRequested) break;
				if (debug) {
					await this.runs.debug(plan, token);
					// The debug run prints for a person; its results come back from the store.
					for (const item of items) {
						const node = nodeOf(item);
						if (node.kind === 'eval') await loadStoredSamples(this.controller, this.stores, item, () => testRun, (file) => this.runs.frameFilterFor(file));
					}
					continue;
				}
				const partial = !!plan.onlySamples?.length || plan.samples !== undefined;
				const applier = new ActionApplier(this.controller, testRun, (line) => this.log.info(line), partial);
				const { tracker } = await this.runs.run(plan, token, (action) => applier.apply(action));
				await this.reportDeferred(testRun, applier, tracker.progress.experiment, plan.storage ?? this.stores.storePathFor(plan.anchor));
			}
		} catch (error) {
			void showError(this.log, (error as Error).message, error);
		} finally {
			if (ownRun) testRun.end();
		}
	}

	private async reportDeferred(run: vscode.TestRun, applier: ActionApplier, experiment: string | null, storePath: string): Promise<void> {
		if (!experiment || applier.deferred.length === 0) return;
		this.stores.changed(storePath); // the reader must see what this run just wrote
		const reader = await this.stores.reader(storePath);
		for (const { item, evalId, wallMs } of applier.deferred) {
			try {
				if (reader) await reportAggregate(run, item, reader, experiment, evalId, wallMs);
				else run.passed(item, wallMs);
			} catch (error) {
				this.log.error(`cannot read ${evalId} in ${experiment}: ${(error as Error).message}`);
			}
		}
	}

	dispose(): void {
		for (const d of this.disposables) d.dispose();
	}
}
