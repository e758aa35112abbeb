/**
 * The HTML shell of every doteval webview: a strict Content-Security-Policy with a fresh nonce per
 * render, local stylesheets and one local script. No data goes into the HTML; it all arrives by
 * `postMessage` and is rendered as text, so nothing here needs escaping beyond the fixed inputs.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
	/** `webview.cspSource`: the origin local resources are served from. */
	cspSource: string;
	nonce: string;
	scriptUri: string;
	styleUris: string[];
	title: string;
	/** Id of the root element the script renders into, e.g. `results-root`. */
	rootId: string;
}

/** 128 random bits, base64: unguessable, so only our own script tag can run. */
export function createNonce(): string {
	return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
	return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource} 'nonce-${nonce}'`, `img-src ${cspSource}`].join('; ');
}

export function buildWebviewHtml(options: WebviewHtmlOptions): string {
	const { cspSource, nonce, scriptUri, styleUris, title, rootId } = options;
	const styles = styleUris.map((uri) => `\t<link rel="stylesheet" href="${escapeAttribute(uri)}" nonce="${nonce}">`).join('\n');
	return `<!DOCTYPE html>
<html lang="en">
<head>
	<meta charset="UTF-8">
	<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(cspSource, nonce))}">
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
	<title>${escapeAttribute(title)}</title>
</head>
<body>
	<main id="${escapeAttribute(rootId)}" data-ready="false"></main>
	<script nonce="${nonce}" src="${escapeAttribute(scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttribute(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
