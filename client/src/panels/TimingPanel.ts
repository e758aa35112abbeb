/**
 * The timing panel: one evaluation's wall time, throughput, latency histogram, samples in flight
 * and waterfall (`show`), or a side-by-side comparison of experiments (`compare`).
 */
import * as vscode from 'vscode';
import type { StoreReader } from '../../../runtime/src/store/types.js';
import { identitiesOf, type ExperimentIdentity } from './followExperiment.js';
import type { TimingHostMessage, TimingWebviewMessage } from './messages.js';
import { followStoreChange, renderHtml, shortEvalName, trailingThrottle, webviewOptions } from './panelSupport.js';
import { ResultsPanel } from './ResultsPanel.js';
import { TIMING_VIEW_TYPE } from './restore.js';
import { loadCompareView, loadTimingView } from './timingController.js';

export type TimingTarget = { kind: 'eval'; experiment: string; evalId: string } | { kind: 'compare'; experiments: string[] };

export class TimingPanel {
	static readonly viewType = TIMING_VIEW_TYPE;
	static currentPanel: TimingPanel | undefined;

	private reader!: StoreReader;
	private targetValue!: TimingTarget;
	/** The experiments shown, by identity: a rename retargets the panel instead of breaking it. */
	private followed: ExperimentIdentity[] = [];
	private readonly refresh = trailingThrottle(() => void this.postView(), 1000);
	private generation = 0;
	private disposed = false;
	private readonly _disposables: vscode.Disposable[] = [];

	/** Opens (or retargets and reveals) the timing panel for one evaluation of an experiment. */
	static show(extensionUri: vscode.Uri, reader: StoreReader, experiment: string, evalId: string): TimingPanel {
		return TimingPanel.open(extensionUri, reader, { kind: 'eval', experiment, evalId });
	}

	/** Opens the timing panel comparing experiments side by side; the first one is the baseline. */
	static compare(extensionUri: vscode.Uri, reader: StoreReader, experiments: string[]): TimingPanel {
		return TimingPanel.open(extensionUri, reader, { kind: 'compare', experiments: [...experiments] });
	}

	/** Takes over a panel VS Code restored after a restart (see `registerPanelSerializers`). */
	static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, reader: StoreReader, target: TimingTarget): TimingPanel {
		TimingPanel.currentPanel?.dispose();
		panel.webview.options = webviewOptions(extensionUri);
		TimingPanel.currentPanel = new TimingPanel(panel, extensionUri, reader, target);
		return TimingPanel.currentPanel;
	}

	/**
	 * The store changed: the open panel recomputes its view (throttled to once a second). A reader of
	 * a different store file (`reader.path`) is ignored, so callers may notify every panel.
	 */
	static update(reader?: StoreReader): void {
		TimingPanel.currentPanel?.update(reader);
	}

	private static open(extensionUri: vscode.Uri, reader: StoreReader, target: TimingTarget): TimingPanel {
		const column = vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.One;
		const current = TimingPanel.currentPanel;
		if (current) {
			current.panel.reveal(column);
			current.target(reader, target);
			return current;
		}
		const panel = vscode.window.createWebviewPanel(TimingPanel.viewType, 'doteval timing', column, webviewOptions(extensionUri));
		TimingPanel.currentPanel = new TimingPanel(panel, extensionUri, reader, target);
		return TimingPanel.currentPanel;
	}

	private constructor(
		private readonly panel: vscode.WebviewPanel,
		private readonly extensionUri: vscode.Uri,
		reader: StoreReader,
		target: TimingTarget,
	) {
		this.panel.onDidDispose(() => this.dispose(), null, this._disposables);
		this.panel.webview.onDidReceiveMessage((message: TimingWebviewMessage) => this.handle(message), null, this._disposables);
		this.target(reader, target);
	}

	update(reader?: StoreReader): void {
		// A reader of another store file is not news for this panel.
		if (reader && reader.path !== this.reader.path) return;
		if (reader) this.reader = reader;
		void followStoreChange(
			this.followed,
			this.reader,
			(renames) => this.followRenames(renames),
			() => this.refresh.request(),
		);
	}

	/** Retargets the panel to the new names of the experiments it shows. */
	private followRenames(renames: Map<string, string>): boolean {
		const rename = (name: string) => renames.get(name) ?? name;
		const t = this.targetValue;
		this.target(this.reader, t.kind === 'eval' ? { ...t, experiment: rename(t.experiment) } : { kind: 'compare', experiments: t.experiments.map(rename) });
		return true;
	}

	dispose(): void {
		this.disposed = true;
		TimingPanel.currentPanel = undefined;
		this.refresh.dispose();
		this.panel.dispose();
		while (this._disposables.length) this._disposables.pop()?.dispose();
	}

	private handle(message: TimingWebviewMessage): void {
		if (message.type === 'ready') void this.postView();
		else if (message.type === 'openResults' && this.targetValue.kind === 'eval') {
			ResultsPanel.show(this.extensionUri, this.reader, this.targetValue.experiment, this.targetValue.evalId);
		}
	}

	private target(reader: StoreReader, target: TimingTarget): void {
		this.reader = reader;
		this.targetValue = target;
		this.panel.title =
			target.kind === 'eval' ? `Timing: ${shortEvalName(target.evalId)} (${target.experiment})` : `Compare: ${target.experiments.join(' vs ')}`;
		const names = target.kind === 'eval' ? [target.experiment] : target.experiments;
		void Promise.resolve()
			.then(async () => {
				this.followed = identitiesOf(names, await reader.listExperiments());
			})
			.catch(() => {});
		this.panel.webview.html = renderHtml(this.panel.webview, this.extensionUri, 'timing', 'doteval timing');
	}

	private async postView(): Promise<void> {
		// A newer request (retarget, live update) supersedes one still reading the store.
		const generation = ++this.generation;
		let message: TimingHostMessage;
		try {
			const target = this.targetValue;
			message =
				target.kind === 'eval'
					? {
							type: 'timing',
							view: await loadTimingView(this.reader, target.experiment, target.evalId),
							restore: { panel: 'timing', storePath: this.reader.path, experiment: target.experiment, evalId: target.evalId },
						}
					: {
							type: 'compare',
							view: await loadCompareView(this.reader, target.experiments),
							restore: { panel: 'compare', storePath: this.reader.path, experiments: target.experiments },
						};
		} catch (error) {
			message = { type: 'error', message: error instanceof Error ? error.message : String(error) };
		}
		if (generation === this.generation && !this.disposed) void this.panel.webview.postMessage(message);
	}
}
