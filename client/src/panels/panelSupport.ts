/**
 * What both panels share on the extension-host side: webview options (scripts on, local resources
 * limited to the webview bundles and the stylesheets), the HTML with a fresh nonce, and a trailing
 * throttle for live refreshes.
 */
import * as vscode from 'vscode';
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

/** `file.eval.ts::evalName` → `evalName`, for panel titles. */
export function shortEvalName(evalId: string): string {
	return parseEvalId(evalId).name;
}
