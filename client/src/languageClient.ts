/**
 * The language client: starts the bundled language server (dist/server.js) over Node IPC. The server
 * finds the evals (CodeLens, diagnostics, hovers) and tells the Test Explorer about them.
 */
import { fork } from 'node:child_process';
import * as vscode from 'vscode';
import { IPCMessageReader, IPCMessageWriter, LanguageClient, type LanguageClientOptions, type Middleware } from 'vscode-languageclient/node';
import { readSettings } from './config';
import type { InitializationOptions } from '../../runtime/src/contracts/editorProtocol.js';

/**
 * `since`: when the start-up being timed began (activation), for the first lens's log line.
 *
 * The server process is forked here, synchronously, not by `LanguageClient.start()`: that forks only
 * after a file-system callback, which on a busy extension host (other extensions activating at the
 * same time) came 0.6–1.8 s later, and the server's start-up (Node, its bundle) is the longest step to
 * the first lens. Forked now, it boots on the other core while the extension host is still busy.
 */
export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, since = performance.now()): LanguageClient {
	const debug = context.extensionMode === vscode.ExtensionMode.Development;
	const forkServer = () => {
		const server = fork(context.asAbsolutePath('dist/server.js'), ['--node-ipc', `--clientProcessId=${process.pid}`], {
			execArgv: debug ? ['--nolazy', '--inspect=6019'] : [],
			stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
		});
		server.stderr?.on('data', (chunk: Buffer) => log.error(`[server] ${chunk.toString().trimEnd()}`));
		server.on('exit', (code, signal) => code !== 0 && log.error(`the doteval language server exited (${signal ?? `code ${code}`})`));
		context.subscriptions.push(new vscode.Disposable(() => server.exitCode === null && server.kill()));
		return server;
	};
	// The first start takes the process forked now; a restart after a crash (the client's error
	// handler restarts a server that died) forks a new one, as LanguageClient's own start would.
	let forked: ReturnType<typeof fork> | undefined = forkServer();
	const serverOptions = () => {
		const server = forked?.exitCode === null ? forked : forkServer();
		forked = undefined;
		return Promise.resolve({ reader: new IPCMessageReader(server), writer: new IPCMessageWriter(server) });
	};
	const settings = readSettings();
	const initializationOptions: InitializationOptions = {
		evalGlobs: settings.evalGlobs,
		storagePath: settings.storagePath,
		// The server compiles TypeScript's 9 MB once and keeps V8's code cache here (faster first lens).
		compileCacheDir: context.globalStorageUri.fsPath,
	};
	const clientOptions: LanguageClientOptions = {
		documentSelector: ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'].map((language) => ({ scheme: 'file', language })),
		initializationOptions,
		outputChannel: log,
		middleware: { provideCodeLenses: firstLensTiming(log, since) },
		synchronize: {
			// Closed eval files created, changed or deleted on disk: the server re-discovers them.
			fileEvents: settings.evalGlobs.map((glob) => vscode.workspace.createFileSystemWatcher(glob)),
		},
	};
	return new LanguageClient('doteval', 'doteval language server', serverOptions, clientOptions);
}

/** Logs once when VS Code first asked for lenses (since activation) and how long the answer took: the editor's share of the first lens. */
function firstLensTiming(log: vscode.LogOutputChannel, since: number): Middleware['provideCodeLenses'] {
	let logged = false;
	return async (document, token, next) => {
		if (logged) return next(document, token);
		const askedAt = performance.now();
		const lenses = await next(document, token);
		if (!logged && lenses?.length) {
			logged = true;
			log.info(
				`[startup] first CodeLens: VS Code asked ${Math.round(askedAt - since)} ms after activation, answered in ${Math.round(performance.now() - askedAt)} ms`,
			);
		}
		return lenses;
	};
}
