/** The extension's one output channel ("doteval", a log channel with levels and timestamps). */
import * as vscode from 'vscode';

export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
	return vscode.window.createOutputChannel('doteval', { log: true });
}

/** Logs an error with its stack and shows a short message with a button that opens the log. */
export async function showError(log: Log, message: string, error?: unknown): Promise<void> {
	log.error(error instanceof Error ? `${message}\n${error.stack ?? error.message}` : message);
	const choice = await vscode.window.showErrorMessage(message, 'Show Log');
	if (choice) log.show(true);
}
