/**
 * What both panels share on the extension-host side: webview options (scripts on, local resources
 * limited to the webview bundles and the stylesheets), the HTML with a fresh nonce, a trailing
 * throttle for live refreshes, and what a store change means for a panel.
 */
import * as vscode from 'vscode';
import type { StoreReader } from '../../../runtime/src/store/types.js';
import { renamedNames, type ExperimentIdentity } from './followExperiment.js';
import { buildWebviewHtml, createNonce } from './webviewHtml.js';
import { parseEvalId } from '../../../runtime/src/contracts/evalId.js';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
	return {
		enableScripts: true,
		// The webview never reads files: every byte of data comes from the host by postMessage.
		localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
	};
}

/** The page for `dist/webview/<entry>.js` with `media/common.css` and `media/<entry>.css`. */
export function renderHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: 'results' | 'timing', title: string): string {
	const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
	return buildWebviewHtml({
		cspSource: webview.cspSource,
		nonce: createNonce(),
		scriptUri: asset('dist', 'webview', `${entry}.js`),
		styleUris: [asset('media', 'common.css'), asset('media', `${entry}.css`)],
		title,
		rootId: `${entry}-root`,
	});
}

/**
 * Calls `fn` at most once per `intervalMs`, always after the latest request: a live run may report
 * hundreds of samples a second, the panel only needs to catch up a few times a second.
 */
export function trailingThrottle(fn: () => void, intervalMs: number): { request(): void; dispose(): void } {
	let timer: ReturnType<typeof setTimeout> | undefined;
	return {
		request() {
			timer ??= setTimeout(() => {
				timer = undefined;
				fn();
			}, intervalMs);
		},
		dispose() {
			if (timer) clearTimeout(timer);
			timer = undefined;
		},
	};
}

/**
 * A panel's answer to a change of its store: when an experiment it follows was renamed,
 * `retarget(renames)` (true when the panel took a new name); else, or when the store cannot be
 * read, `refresh()` — the refresh reports what is wrong with the store.
 */
export async function followStoreChange(
	followed: readonly ExperimentIdentity[],
	reader: StoreReader,
	retarget: (renames: Map<string, string>) => boolean,
	refresh: () => void,
): Promise<void> {
	let retargeted = false;
	try {
		const renames = renamedNames(followed, await reader.listExperiments());
		retargeted = renames !== undefined && retarget(renames);
	} catch {
		// not retargeted: the refresh reports what is wrong with the store
	}
	if (!retargeted) refresh();
}

/** `file.eval.ts::evalName` → `evalName`, for panel titles. */
export function shortEvalName(evalId: string): string {
	return parseEvalId(evalId).name;
}
