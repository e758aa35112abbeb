/**
 * The language client: starts the bundled language server (dist/server.js) over Node IPC. The server
 * finds the evals (CodeLens, diagnostics, hovers) and tells the Test Explorer about them.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { readSettings } from './config';
import type { InitializationOptions } from '../../runtime/src/contracts/editorProtocol.js';

export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
	const module = context.asAbsolutePath('dist/server.js');
	const serverOptions: ServerOptions = {
		run: { module, transport: TransportKind.ipc },
		debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
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
		synchronize: {
			// Closed eval files created, changed or deleted on disk: the server re-discovers them.
			fileEvents: settings.evalGlobs.map((glob) => vscode.workspace.createFileSystemWatcher(glob)),
		},
	};
	return new LanguageClient('doteval', 'doteval language server', serverOptions, clientOptions);
}
