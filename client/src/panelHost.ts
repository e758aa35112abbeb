/**
 * Opens the webview panels (client/src/panels, loaded on first use so activation stays cheap) on a
 * store reader, and hands them a fresh reader whenever their store changes.
 */
import * as vscode from 'vscode';
import type { StoreAccess } from './store/storeAccess';

type PanelsModule = typeof import('./panels/index');

export class PanelHost implements vscode.Disposable {
	private panels: PanelsModule | undefined;
	private readonly storeOf = new Map<'results' | 'timing', string>();
	private readonly subscription: vscode.Disposable;

	constructor(
		private readonly extensionUri: vscode.Uri,
		private readonly stores: StoreAccess,
	) {
		this.subscription = stores.onDidChange((storePath) => void this.storeChanged(storePath));
	}

	async openResults(storePath: string, experiment: string, evalId: string): Promise<void> {
		const { panels, reader } = await this.load(storePath);
		this.storeOf.set('results', storePath);
		panels.ResultsPanel.show(this.extensionUri, reader, experiment, evalId);
	}

	async openTiming(storePath: string, experiment: string, evalId: string): Promise<void> {
		const { panels, reader } = await this.load(storePath);
		this.storeOf.set('timing', storePath);
		panels.TimingPanel.show(this.extensionUri, reader, experiment, evalId);
	}

	async compare(storePath: string, experiments: string[]): Promise<void> {
		const { panels, reader } = await this.load(storePath);
		this.storeOf.set('timing', storePath);
		panels.TimingPanel.compare(this.extensionUri, reader, experiments);
	}

	private async load(storePath: string) {
		this.panels ??= await import('./panels/index');
		const reader = await this.stores.reader(storePath);
		if (!reader) throw new Error(`No results yet: the store ${storePath} does not exist. Run an eval first.`);
		return { panels: this.panels, reader };
	}

	private async storeChanged(storePath: string): Promise<void> {
		if (!this.panels) return;
		const reader = await this.stores.reader(storePath);
		if (!reader) return;
		// Panels ignore readers of other stores; notifying both also covers a timing panel opened from
		// the results panel's own button (which this host did not open).
		this.panels.ResultsPanel.update(reader);
		this.panels.TimingPanel.update(reader);
	}

	dispose(): void {
		this.subscription.dispose();
	}
}
