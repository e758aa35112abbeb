// Starts a real VS Code (code-server) with the packaged extension and a headless Debian chromium
// driven by playwright-core, in a fresh run directory; `stop()` ends exactly the processes it started.
// Recipe and pitfalls: docs/design/vscode-e2e.md.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { freePort, processTree, stopPids, processesMentioning } from './processes.mjs';
import { artifactsDir, repoRoot, screenshot, waitFor } from './ui.mjs';
import { codeServerLogTail, readLogs } from './logs.mjs';

export * from './ui.mjs';
export { activationTime, readLogs } from './logs.mjs';

const CODE_SERVER_VERSION = '4.100.3';
const defaultVsix = process.env.DOTEVAL_E2E_VSIX ?? path.join(repoRoot, 'dist', 'doteval.vsix');

export function codeServerBin() {
	if (process.env.DOTEVAL_E2E_CODE_SERVER) return process.env.DOTEVAL_E2E_CODE_SERVER;
	const cache = process.env.DOTEVAL_E2E_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'doteval-e2e');
	return path.join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
}

function chromiumBin() {
	// The real binary, not Debian's launcher script (its dev-shm check prints noise, pitfall 9).
	for (const candidate of ['/usr/lib/chromium/chromium', '/usr/bin/chromium']) if (existsSync(candidate)) return candidate;
	throw new Error('chromium not found: run scripts/e2e-setup.sh (apt-get install chromium)');
}

const baseSettings = {
	'workbench.startupEditor': 'none',
	'extensions.autoCheckUpdates': false,
	'extensions.autoUpdate': false,
	'update.mode': 'none',
	'telemetry.telemetryLevel': 'off',
	'git.enabled': false,
	'workbench.tips.enabled': false,
	'workbench.enableExperiments': false,
	'typescript.disableAutomaticTypeAcquisition': true,
	'chat.disableAIFeatures': true,
};

/**
 * Copy `workspace` (a folder; node_modules is skipped) into the run directory, add `files`
 * ({ relativePath: content }) and, with `linkRuntime`, make `node_modules/doteval` this repo's runtime
 * (and `node_modules/@types` the repo's).
 */
function prepareWorkspace(runDir, { workspace, files = {}, linkRuntime = true }) {
	const ws = path.join(runDir, 'ws');
	if (workspace) cpSync(workspace, ws, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' && path.basename(src) !== '.doteval' });
	mkdirSync(ws, { recursive: true });
	for (const [rel, content] of Object.entries(files)) {
		mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
		writeFileSync(path.join(ws, rel), content);
	}
	if (linkRuntime) {
		mkdirSync(path.join(ws, 'node_modules'), { recursive: true });
		symlinkSync(path.join(repoRoot, 'runtime'), path.join(ws, 'node_modules', 'doteval'), 'dir');
		// Type declarations too, so the editor shows the examples without red squiggles (as in the repo).
		symlinkSync(path.join(repoRoot, 'node_modules', '@types'), path.join(ws, 'node_modules', '@types'), 'dir');
	}
	return ws;
}

/**
 * @param {object} options
 * @param {string} [options.workspace] folder copied as the workspace
 * @param {Record<string,string>} [options.files] extra workspace files
 * @param {string} [options.vsix] defaults to dist/doteval.vsix
 * @param {Record<string,unknown>} [options.settings] user settings
 * @param {boolean} [options.trust] false opens the workspace untrusted (Restricted Mode)
 * @param {Record<string,string>} [options.env] extra environment for code-server and its extension host
 * @param {string} [options.name] names the copies of the logs kept in test-results/e2e/logs/<name>/
 */
export async function startVSCode(options = {}) {
	const { vsix = defaultVsix, settings = {}, trust = true, env = {} } = options;
	const bin = codeServerBin();
	if (!existsSync(bin)) throw new Error(`code-server not found at ${bin}: run scripts/e2e-setup.sh`);
	if (vsix && !existsSync(vsix)) throw new Error(`${vsix} not found: run npm run package`);
	// A short path: unix sockets inside it must stay under 108 bytes (pitfall 6).
	const runDir = mkdtempSync('/tmp/de2e-');
	for (const dir of ['data/User', 'ext', 'tmp', 'xdg-data', 'xdg-config', 'chrome']) mkdirSync(path.join(runDir, dir), { recursive: true });
	const ws = prepareWorkspace(runDir, options);
	const trustSettings = trust
		? { 'security.workspace.trust.enabled': false }
		: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false };
	writeFileSync(path.join(runDir, 'data/User/settings.json'), JSON.stringify({ ...baseSettings, ...trustSettings, ...settings }, null, '\t'));
	const config = path.join(runDir, 'config.yaml');
	writeFileSync(config, 'auth: none\ncert: false\n');
	const common = ['--config', config, '--user-data-dir', path.join(runDir, 'data'), '--extensions-dir', path.join(runDir, 'ext')];
	const childEnv = {
		...process.env,
		TMPDIR: path.join(runDir, 'tmp'),
		XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
		XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
		...env,
	};
	if (vsix) {
		const installed = spawnSync(bin, [...common, '--install-extension', vsix], { env: childEnv, encoding: 'utf8' });
		if (installed.status !== 0) throw new Error(`installing ${vsix} failed:\n${installed.stdout}\n${installed.stderr}`);
	}

	const port = await freePort();
	const logFile = path.join(runDir, 'code-server.log');
	const log = createWriteStream(logFile);
	const args = [
		...common,
		'--bind-addr',
		`127.0.0.1:${port}`,
		'--auth',
		'none',
		'--disable-telemetry',
		'--disable-update-check',
		'--disable-getting-started-override',
		'--ignore-last-opened',
		...(trust ? ['--disable-workspace-trust'] : []),
		ws,
	];
	const server = spawn(bin, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	server.stdout.pipe(log);
	server.stderr.pipe(log);
	const base = `http://127.0.0.1:${port}`;
	let context;
	let serverPids = [server.pid];
	let stopped = false;
	const stop = async ({ keep = !!process.env.DOTEVAL_E2E_KEEP } = {}) => {
		if (stopped) return;
		stopped = true;
		// The last state of the UI, whatever happened: the first thing to look at after a failure.
		const page = context?.pages()[0];
		if (page) await screenshot(page, `${options.name ?? path.basename(runDir)}-at-stop`).catch(() => {});
		// Record the tree first: closing the browser makes code-server end some children itself.
		serverPids = processTree(server.pid);
		await context?.close().catch(() => {});
		const chromePids = processesMentioning(path.join(runDir, 'chrome')).map((p) => p.pid);
		await stopPids([...serverPids, ...processTree(server.pid).filter((p) => !serverPids.includes(p)), ...chromePids]);
		const leftovers = processesMentioning(runDir);
		if (leftovers.length)
			await stopPids(
				leftovers.map((p) => p.pid),
				1000,
			);
		log.end();
		keepLogs(runDir, options.name ?? path.basename(runDir));
		if (!keep) rmSync(runDir, { recursive: true, force: true });
	};
	try {
		await waitFor(async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok, { timeout: 90_000, what: `${base}/healthz` });
		context = await chromium.launchPersistentContext(path.join(runDir, 'chrome'), {
			executablePath: chromiumBin(),
			headless: true,
			viewport: { width: 1400, height: 900 },
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-dev-shm-usage',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		});
		const page = context.pages()[0] ?? (await context.newPage());
		const dialogs = [];
		page.on('dialog', (dialog) => {
			dialogs.push({ type: dialog.type(), message: dialog.message() });
			dialog.dismiss().catch(() => {});
		});
		const startedAt = Date.now();
		await page.goto(`${base}/?folder=${encodeURIComponent(ws)}`);
		await page.locator('.monaco-workbench').waitFor({ state: 'attached', timeout: 30_000 });
		// Usable = the remote file system answers (the explorer lists the workspace).
		await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
		return {
			page,
			context,
			base,
			port,
			runDir,
			workspace: ws,
			dialogs,
			startedAt,
			logs: { codeServer: logFile, read: () => readLogs(runDir), tail: (n) => codeServerLogTail(logFile, n) },
			stop,
		};
	} catch (error) {
		console.error(codeServerLogTail(logFile, 40));
		await stop({ keep: true });
		throw error;
	}
}

/** Copy every log of the run to test-results/e2e/logs/<name>/ (artifacts; the run dir is deleted). */
function keepLogs(runDir, name) {
	const target = path.join(artifactsDir, 'logs', name);
	rmSync(target, { recursive: true, force: true });
	for (const { file } of readLogs(runDir)) {
		const to = path.join(target, file.replaceAll('/', '__'));
		mkdirSync(target, { recursive: true });
		copyFileSync(path.join(runDir, file), to);
	}
}

/** Content of a workspace file, or null when it does not exist (marker files written by eval code). */
export function workspaceFile(vscode, rel) {
	const file = path.join(vscode.workspace, rel);
	return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
