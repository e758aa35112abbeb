/**
 * The language client: starts the bundled language server (dist/server.js) over Node IPC. The server
 * finds the evals (CodeLens, diagnostics, hovers) and tells the Test Explorer about them.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { readSettings } from './config';
import type { ServerSettings } from '../../runtime/src/contracts/editorProtocol.js';

export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
	const module = context.asAbsolutePath('dist/server.js');
	const serverOptions: ServerOptions = {
		run: { module, transport: TransportKind.ipc },
		debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
	};
	const settings = readSettings();
	const initializationOptions: ServerSettings = { evalGlobs: settings.evalGlobs, storagePath: settings.storagePath };
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
