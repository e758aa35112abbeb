/**
 * The per-sample results panel: one webview (webview-sample style, one at a time) showing a
 * virtualized table of one evaluation's samples, paged from the store on scroll.
 */
import * as vscode from 'vscode';
import type { StoreReader } from '../../../runtime/src/store/types.js';
import { identitiesOf, type ExperimentIdentity } from './followExperiment.js';
import type { ResultsWebviewMessage } from './messages.js';
import { followStoreChange, renderHtml, shortEvalName, trailingThrottle, webviewOptions } from './panelSupport.js';
import { ResultsController } from './resultsController.js';
import { RESULTS_VIEW_TYPE } from './restore.js';
import { TimingPanel } from './TimingPanel.js';

export class ResultsPanel {
	static readonly viewType = RESULTS_VIEW_TYPE;
	static currentPanel: ResultsPanel | undefined;

	private controller!: ResultsController;
	private reader!: StoreReader;
	/** The experiment shown, by identity: a rename retargets the panel instead of breaking it. */
	private followed: ExperimentIdentity[] = [];
	private readonly refresh = trailingThrottle(() => void this.controller.changed(this.reader), 300);
	private readonly _disposables: vscode.Disposable[] = [];

	/** Opens (or retargets and reveals) the results panel for one evaluation of an experiment. */
	static show(extensionUri: vscode.Uri, reader: StoreReader, experiment: string, evalId: string): ResultsPanel {
		const column = vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.One;
		const current = ResultsPanel.currentPanel;
		if (current) {
			current.panel.reveal(column);
			current.target(reader, experiment, evalId);
			return current;
		}
		const panel = vscode.window.createWebviewPanel(ResultsPanel.viewType, 'doteval results', column, webviewOptions(extensionUri));
		ResultsPanel.currentPanel = new ResultsPanel(panel, extensionUri, reader, experiment, evalId);
		return ResultsPanel.currentPanel;
	}

	/** Takes over a panel VS Code restored after a restart (see `registerPanelSerializers`). */
	static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, reader: StoreReader, experiment: string, evalId: string): ResultsPanel {
		ResultsPanel.currentPanel?.dispose();
		panel.webview.options = webviewOptions(extensionUri);
		ResultsPanel.currentPanel = new ResultsPanel(panel, extensionUri, reader, experiment, evalId);
		return ResultsPanel.currentPanel;
	}

	/**
	 * The store changed (live run, file reloaded): the open panel re-reads its header and the rows
	 * it shows. Cheap to call often; refreshes are throttled. Pass the new reader if it was reopened;
	 * a reader of a different store file (`reader.path`) is ignored, so callers may notify every panel.
	 */
	static update(reader?: StoreReader): void {
		ResultsPanel.currentPanel?.update(reader);
	}

	private constructor(
		private readonly panel: vscode.WebviewPanel,
		private readonly extensionUri: vscode.Uri,
		reader: StoreReader,
		experiment: string,
		evalId: string,
	) {
		this.panel.onDidDispose(() => this.dispose(), null, this._disposables);
		this.panel.webview.onDidReceiveMessage((message: ResultsWebviewMessage) => void this.controller.handle(message), null, this._disposables);
		this.target(reader, experiment, evalId);
	}

	get experiment(): string {
		return this.controller.target.experiment;
	}

	get evalId(): string {
		return this.controller.target.evalId;
	}

	update(reader?: StoreReader): void {
		// A reader of another store file is not news for this panel.
		if (reader && reader.path !== this.reader.path) return;
		if (reader) this.reader = reader;
		void followStoreChange(
			this.followed,
			this.reader,
			(renames) => this.followRename(renames),
			() => this.refresh.request(),
		);
	}

	/** Retargets the panel when its experiment was renamed; false when it was not. */
	private followRename(renames: Map<string, string>): boolean {
		const to = renames.get(this.experiment);
		if (!to) return false;
		this.target(this.reader, to, this.evalId);
		return true;
	}

	dispose(): void {
		ResultsPanel.currentPanel = undefined;
		this.refresh.dispose();
		this.panel.dispose();
		while (this._disposables.length) this._disposables.pop()?.dispose();
	}

	private target(reader: StoreReader, experiment: string, evalId: string): void {
		this.reader = reader;
		this.controller = new ResultsController(
			reader,
			{ experiment, evalId },
			(message) => void this.panel.webview.postMessage(message),
			(target) => TimingPanel.show(this.extensionUri, this.reader, target.experiment, target.evalId),
		);
		this.panel.title = `Results: ${shortEvalName(evalId)} (${experiment})`;
		void Promise.resolve()
			.then(async () => {
				this.followed = identitiesOf([experiment], await reader.listExperiments());
			})
			.catch(() => {});
		// A fresh document (and nonce); the webview says 'ready' and the controller sends 'init'.
		this.panel.webview.html = renderHtml(this.panel.webview, this.extensionUri, 'results', 'doteval results');
	}
}
