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
import { describeProfile, parseCount, parseExperimentName, profileRunOptions, readProfileSettings, type ProfileSettings } from '../runner/profileSettings';

/** Where the Run profile's configuration is kept (workspace state). */
const profileStateKey = 'doteval.runProfile';

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

	constructor(
		private readonly runs: RunService,
		private readonly stores: StoreAccess,
		private readonly log: Log,
		private readonly state: vscode.Memento,
	) {
		this.controller.resolveHandler = async (item) => {
			if (!item) return;
			// Loaded once; an eval whose samples already streamed in keeps those (they are newer).
			item.canResolveChildren = false;
			if (item.children.size > 0) return;
			let run: vscode.TestRun | undefined;
			try {
				await loadStoredSamples(
					this.controller,
					this.stores,
					item,
					() => (run = this.controller.createTestRun(new vscode.TestRunRequest([item]), 'doteval: last stored results', false)),
					(file) => this.runs.frameFilterFor(file),
				);
			} catch (error) {
				item.error = `cannot load stored results: ${(error as Error).message}`;
			} finally {
				run?.end();
			}
		};
		// Run: configurable (samples, concurrency, experiment) and continuous (re-runs a file's evals when it is saved).
		const runProfile = this.controller.createRunProfile(
			'Run',
			vscode.TestRunProfileKind.Run,
			(request, token) => (request.continuous ? this.watch(request, token) : this.handle(request, token, false)),
			true,
			undefined,
			true,
		);
		runProfile.configureHandler = () => void this.configure();
		const debugProfile = this.controller.createRunProfile(
			'Debug',
			vscode.TestRunProfileKind.Debug,
			(request, token) => this.handle(request, token, true),
			true,
		);
		this.disposables.push(
			runProfile,
			debugProfile,
			vscode.workspace.onDidChangeWorkspaceFolders(() => this.rebuild()),
		);
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

	private profileSettings(): ProfileSettings {
		return readProfileSettings(this.state.get(profileStateKey));
	}

	/** The Run profile's gear: three questions, each prefilled; Escape leaves the settings as they were. */
	private async configure(): Promise<void> {
		const current = this.profileSettings();
		const ask = async <T>(
			prompt: string,
			value: string,
			placeHolder: string,
			parse: (text: string) => { value: T } | { error: string },
		): Promise<{ value: T } | undefined> => {
			const text = await vscode.window.showInputBox({
				title: 'doteval: Configure Run Profile',
				prompt,
				value,
				placeHolder,
				validateInput: (t) => {
					const r = parse(t);
					return 'error' in r ? r.error : undefined;
				},
			});
			if (text === undefined) return undefined;
			const parsed = parse(text);
			return 'error' in parsed ? undefined : parsed;
		};
		const samples = await ask('Samples per eval (the first N rows)', current.samples?.toString() ?? '', 'empty: all samples (a continuous run takes 10)', (t) =>
			parseCount(t, 'Samples'),
		);
		if (!samples) return;
		const concurrency = await ask('Samples at once', current.concurrency?.toString() ?? '', "empty: the eval's own concurrency strategy", (t) =>
			parseCount(t, 'Concurrency'),
		);
		if (!concurrency) return;
		const experiment = await ask(
			'Experiment the runs go into (running a sample again replaces it there)',
			current.experiment ?? '',
			`empty: the editor's experiment (doteval.experiment)`,
			parseExperimentName,
		);
		if (!experiment) return;
		const next: ProfileSettings = {};
		if (samples.value !== undefined) next.samples = samples.value;
		if (concurrency.value !== undefined) next.concurrency = concurrency.value;
		if (experiment.value !== undefined) next.experiment = experiment.value;
		await this.state.update(profileStateKey, next);
		this.log.info(`Run profile: ${describeProfile(next)}`);
	}

	/** What the Run profile's settings add to a run: samples, concurrency, and the experiment (replacing what it runs). */
	private profileOptions(debug: boolean, continuous: boolean): RunOptions {
		if (debug) return {};
		const { experiment, ...rest } = profileRunOptions(this.profileSettings(), continuous);
		return { ...rest, ...(experiment ? { intent: { kind: 'again', experiment } } : {}) };
	}

	/**
	 * A continuous run: every save of an eval file among the request's items re-runs that file's evals
	 * (capped, see profileSettings.ts), until the user stops watching.
	 */
	private async watch(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
		if (!ensureTrusted(this.log)) return;
		// The eval items of `file` the request covers: all of them when it names the file, its folder, or nothing.
		const evalItemsOf = (file: string): vscode.TestItem[] => {
			const items = [...this.controller.items].flatMap(([, folder]) => {
				const fileItem = folder.children.get(`file:${file}`);
				return fileItem ? [...fileItem.children].map(([, item]) => item) : [];
			});
			const include = request.include;
			return include ? items.filter((item) => include.some((i) => i === item || i === item.parent || i === item.parent?.parent)) : items;
		};
		let queue = Promise.resolve();
		const listener = vscode.workspace.onDidSaveTextDocument((doc) => {
			if (doc.uri.scheme !== 'file') return;
			const file = doc.uri.fsPath;
			if (evalItemsOf(file).length === 0) return;
			queue = queue
				.then(async () => {
					if (token.isCancellationRequested) return;
					// Read again: the save may have added or removed evals (the tree follows the server).
					const included = evalItemsOf(file);
					const targets: RunTarget[] = included
						.map((item) => nodeOf(item))
						.filter((n): n is EvalNode => n.kind === 'eval')
						.map((n) => ({ kind: 'eval', file: n.file, evalId: n.evalId }));
					if (targets.length === 0) return;
					this.log.info(
						`continuous run: ${file} saved, running ${targets.length} eval(s) (${describeProfile({ ...this.profileSettings(), samples: profileRunOptions(this.profileSettings(), true).samples })})`,
					);
					const run = this.controller.createTestRun(new vscode.TestRunRequest(included, undefined, request.profile, true));
					try {
						await this.execute(included, targets, this.profileOptions(false, true), token, run);
					} finally {
						run.end();
					}
				})
				.catch((error: unknown) => this.log.error(`continuous run: ${(error as Error).message}`));
		});
		try {
			await new Promise<void>((resolve) => {
				if (token.isCancellationRequested) resolve();
				token.onCancellationRequested(() => resolve());
			});
		} finally {
			listener.dispose();
			await queue;
		}
	}

	private async handle(request: vscode.TestRunRequest, token: vscode.CancellationToken, debug: boolean): Promise<void> {
		if (!ensureTrusted(this.log)) return;
		const profile = this.profileOptions(debug, false);
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
				const { samples: _all, ...sampleProfile } = profile; // the samples named are the ones to run
				await this.execute(
					indexes.map((i) => evalItem.children.get(sampleNodeId(evalItem.id, i))).filter((i) => i !== undefined),
					[{ kind: 'eval', file: node.file, evalId: node.evalId }],
					{ ...sampleProfile, onlySamples: indexes, debug },
					token,
					run,
				);
				if (token.isCancellationRequested) break;
			}
			if (targets.length && !token.isCancellationRequested) await this.execute(roots, targets, { ...profile, debug }, token, run);
		} finally {
			run.end();
		}
	}

	/** Runs the plans for `targets`, reporting into `run` (a new run over `items` when not given). */
	private async execute(
		items: readonly vscode.TestItem[],
		targets: RunTarget[],
		options: RunOptions,
		token: vscode.CancellationToken | undefined,
		run?: vscode.TestRun,
	): Promise<void> {
		if (!ensureTrusted(this.log)) return;
		const ownRun = !run;
		const testRun = run ?? this.controller.createTestRun(new vscode.TestRunRequest(items));
		// A run started from a lens has no profile token: the stop button of the Test Explorer cancels testRun.token.
		token ??= testRun.token;
		const { debug, intent, ...planOptions } = options;
		const anchor = targets.length ? (targets[0].kind === 'eval' ? targets[0].file : targets[0].path) : undefined;
		const storage = anchor ? storageSetting(anchor) : undefined;
		const scope = anchor ? (vscode.workspace.getWorkspaceFolder(vscode.Uri.file(anchor)) ?? vscode.Uri.file(anchor)) : undefined;
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
						if (node.kind === 'eval')
							await loadStoredSamples(
								this.controller,
								this.stores,
								item,
								() => testRun,
								(file) => this.runs.frameFilterFor(file),
							);
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
