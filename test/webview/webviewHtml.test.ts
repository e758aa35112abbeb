import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviewHtml, contentSecurityPolicy, createNonce } from '../../client/src/panels/webviewHtml.js';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';

test('the CSP allows only our nonce for scripts and local resources, nothing inline', () => {
	const csp = contentSecurityPolicy(cspSource, 'abc123');
	assert.match(csp, /^default-src 'none'; /);
	assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
	assert.match(csp, new RegExp(`style-src ${cspSource.replace(/[.+]/g, '\\$&')} 'nonce-abc123'`));
	assert.match(csp, new RegExp(`img-src ${cspSource.replace(/[.+]/g, '\\$&')}(;|$)`));
	assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:\/\/(?!file\+)|\*/);
});

test('the page loads one nonce-tagged local script and local styles, with an empty root', () => {
	const nonce = createNonce();
	const html = buildWebviewHtml({
		cspSource,
		nonce,
		scriptUri: `${cspSource}/ext/dist/webview/results.js`,
		styleUris: [`${cspSource}/ext/media/common.css`],
		title: 'doteval results',
		rootId: 'results-root',
	});
	assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; /);
	const scripts = html.match(/<script[^>]*>/g) ?? [];
	assert.equal(scripts.length, 1);
	assert.ok(scripts[0].includes(`nonce="${nonce}"`) && scripts[0].includes('/dist/webview/results.js'));
	assert.match(html, /<main id="results-root" data-ready="false"><\/main>/);
	assert.doesNotMatch(html, /\son[a-z]+=/i);
});

test('every render gets a fresh, unguessable nonce', () => {
	const nonces = new Set(Array.from({ length: 100 }, createNonce));
	assert.equal(nonces.size, 100);
	for (const nonce of nonces) assert.ok(Buffer.from(nonce, 'base64').length === 16);
});
