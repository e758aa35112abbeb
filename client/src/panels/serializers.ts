/**
 * Panel serializers: VS Code reopens the results and timing panels that were open when it closed.
 * The panel classes load on first use (activation stays cheap); the store is reopened by path.
 *
 * Needs `onWebviewPanel:doteval.results` and `onWebviewPanel:doteval.timing` activation events.
 */
import * as vscode from 'vscode';
import type { StoreReader } from '../../../runtime/src/store/types.js';
import { parseRestoreState, RESULTS_VIEW_TYPE, TIMING_VIEW_TYPE } from './restore.js';

export function registerPanelSerializers(extensionUri: vscode.Uri, readerFor: (storePath: string) => Promise<StoreReader | undefined>): vscode.Disposable {
	const revive = async (panel: vscode.WebviewPanel, saved: unknown): Promise<void> => {
		const restore = parseRestoreState(saved);
		const reader = restore ? await readerFor(restore.storePath) : undefined;
		// The store is gone (deleted, moved) or the state is from another version: close the tab.
		if (!restore || !reader) return panel.dispose();
		const { ResultsPanel, TimingPanel } = await import('./index.js');
		if (restore.panel === 'compare') TimingPanel.revive(panel, extensionUri, reader, { kind: 'compare', experiments: restore.experiments });
		else if (restore.panel === 'timing')
			TimingPanel.revive(panel, extensionUri, reader, { kind: 'eval', experiment: restore.experiment, evalId: restore.evalId });
		else ResultsPanel.revive(panel, extensionUri, reader, restore.experiment, restore.evalId);
	};
	return vscode.Disposable.from(
		vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, { deserializeWebviewPanel: revive }),
		vscode.window.registerWebviewPanelSerializer(TIMING_VIEW_TYPE, { deserializeWebviewPanel: revive }),
	);
}
