/**
 * The composition root: builds the extension's parts and wires them together. Nothing here does
 * work of its own; activation stays cheap (no store read, panels loaded on first use).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EvalsChangedNotification, ListEvalsRequest, StoreChangedNotification } from '../../runtime/src/contracts/editorProtocol.js';
import { registerCommands } from './commands';
import { registerHistoryCommands } from './history/historyCommands';
import { HistoryTree } from './history/historyTree';
import { createLanguageClient } from './languageClient';
import { createLog } from './log';
import { PanelHost } from './panelHost';
import { registerPanelSerializers } from './panels/serializers';
import { reportLoadProblems } from './runner/loadProblems';
import { RunService } from './runner/runService';
import { createRunStatus } from './status/statusBar';
import { StoreAccess } from './store/storeAccess';
import { watchStoreChanges } from './store/storeChanges';
import { DotevalTests } from './testing/testController';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
	const started = performance.now();
	const log = createLog();
	const stores = new StoreAccess(async (storePath) => (await import('./store/storeIo')).openReader(storePath), log);
	// The language server hears of a store change first (before history, panels and tests start their
	// own reads): its lenses are what a user watches at a run's end.
	const toServer = stores.onDidChange((path) => void client?.sendNotification(StoreChangedNotification.type, { path }));
	const runs = new RunService(context.extensionPath, log);
	const tests = new DotevalTests(runs, stores, log, context.workspaceState);
	const panels = new PanelHost(context.extensionUri, stores);
	const history = new HistoryTree(stores);
	let activationMs = 0;
	context.subscriptions.push(
		log,
		stores,
		runs,
		tests,
		panels,
		history,
		vscode.window.registerTreeDataProvider('doteval.history', history),
		registerHistoryCommands(history, stores, panels, tests, log),
		// Results and timing panels open when VS Code closed come back (panel classes load lazily).
		registerPanelSerializers(context.extensionUri, (storePath) => stores.reader(storePath)),
		registerCommands({ log, tests, runs, stores, panels, activationMs: () => activationMs }),
		createRunStatus(runs, log),
		reportLoadProblems(runs),
		// One store-change path: file events and run events → stores.changed → the language server's
		// lenses and hovers (the server does not watch the store itself), history, panels.
		watchStoreChanges(stores, runs),
		toServer,
		vscode.workspace.onDidGrantWorkspaceTrust(() => log.info('workspace trusted: running evals is enabled')),
	);

	// The server starts during activation (its process start is the slowest step to the first lens); nothing waits for it.
	const serverStarted = performance.now();
	const languageClient = (client = createLanguageClient(context, log, started));
	context.subscriptions.push(languageClient.onNotification(EvalsChangedNotification.type, (file) => tests.update(file)));
	void languageClient.start().then(
		async () => {
			const listEvals = () => languageClient.sendRequest(ListEvalsRequest.type, {});
			tests.setRefresh(listEvals);
			tests.setAll(await listEvals());
			log.info(`language server ready in ${Math.round(performance.now() - serverStarted)} ms`);
		},
		(error: unknown) => log.error(`the doteval language server failed to start: ${(error as Error).message}`),
	);

	activationMs = Math.round((performance.now() - started) * 10) / 10;
	log.info(`activated in ${activationMs} ms${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: running evals is disabled)'}`);
}

export function deactivate(): Thenable<void> | undefined {
	return client?.stop();
}
