/**
 * The CodeLens commands (the server puts them on lenses; see runtime/src/contracts/editorProtocol.ts `Commands`) and
 * the commands of the palette. Runs go through the Test Explorer so their results show there.
 */
import * as vscode from 'vscode';
import { Commands, type RunLensArgs } from '../../runtime/src/contracts/editorProtocol.js';
import { showError, type Log } from './log';
import type { PanelHost } from './panelHost';
import { parseSampleIndexes } from './runner/cliArgs';
import type { RunService } from './runner/runService';
import type { StoreAccess } from './store/storeAccess';
import type { DotevalTests } from './testing/testController';
import { nodeOf } from './testing/testData';

export const defaultLensSamples = 10;

interface Services {
	log: Log;
	tests: DotevalTests;
	runs: RunService;
	stores: StoreAccess;
	panels: PanelHost;
	activationMs: () => number;
}

/** Lens arguments, or the eval under the cursor's Test Explorer item when run from the palette. */
async function lensArgs(args: RunLensArgs | undefined, tests: DotevalTests): Promise<RunLensArgs | undefined> {
	if (args?.evalId && args.file) return args;
	const editor = vscode.window.activeTextEditor;
	if (!editor) return undefined;
	const file = editor.document.uri.fsPath;
	const picks: (vscode.QuickPickItem & { args: RunLensArgs })[] = [];
	for (const [, folder] of tests.controller.items) {
		for (const [, fileItem] of folder.children) {
			for (const [, item] of fileItem.children) {
				const node = nodeOf(item);
				if (node.kind !== 'eval' || node.file !== file) continue;
				const args = { evalId: node.evalId, file: node.file };
				if (item.range?.contains(editor.selection.active)) return args;
				picks.push({ label: node.name, description: node.evalId, args });
			}
		}
	}
	if (picks.length <= 1) return picks[0]?.args;
	return (await vscode.window.showQuickPick(picks, { placeHolder: 'Which eval?' }))?.args;
}

function isTestItem(arg: unknown): arg is vscode.TestItem {
	return !!arg && typeof arg === 'object' && 'children' in arg && 'id' in arg && 'busy' in arg;
}

/** An eval or sample item as lens arguments (a sample item also names its index). */
function itemArgs(item: vscode.TestItem): (RunLensArgs & { index?: number }) | undefined {
	const node = nodeOf(item);
	if (node.kind === 'sample') return { evalId: node.evalId, file: node.file, index: node.index };
	if (node.kind === 'eval') return { evalId: node.evalId, file: node.file };
	return undefined;
}

export async function askExperimentName(prompt: string, value = ''): Promise<string | undefined> {
	const name = await vscode.window.showInputBox({
		prompt,
		value,
		placeHolder: 'baseline',
		validateInput: (v) => (v.trim() ? undefined : 'The experiment needs a name.'),
	});
	return name?.trim() || undefined;
}

export function registerCommands(s: Services): vscode.Disposable {
	const guard =
		(fn: (...args: never[]) => Promise<unknown>) =>
		async (...args: never[]) => {
			try {
				return await fn(...args);
			} catch (error) {
				void showError(s.log, (error as Error).message, error);
				return undefined;
			}
		};
	const run = async (args: RunLensArgs | undefined, options: { samples?: number; debug?: boolean; onlySamples?: number[] }) => {
		const target = await lensArgs(args, s.tests);
		if (!target) {
			void vscode.window.showInformationMessage('Open an eval file (or put the cursor in an eval) to run it.');
			return;
		}
		await s.tests.runEval(target.file, target.evalId, { samples: options.samples ?? target.samples, debug: options.debug, onlySamples: options.onlySamples });
	};
	return vscode.Disposable.from(
		vscode.commands.registerCommand(
			Commands.run,
			guard((args?: RunLensArgs) => run(args, {})),
		),
		vscode.commands.registerCommand(
			Commands.runSamples,
			guard((args?: RunLensArgs) => run(args, { samples: args?.samples ?? defaultLensSamples })),
		),
		vscode.commands.registerCommand(
			Commands.debug,
			guard((args?: RunLensArgs) => run(args, { debug: true })),
		),
		vscode.commands.registerCommand(
			Commands.debugSample,
			guard(async (arg?: (RunLensArgs & { index?: number }) | vscode.TestItem) => {
				// From the Test Explorer's context menu the argument is the item; from a lens, lens arguments.
				const args = isTestItem(arg) ? itemArgs(arg) : arg;
				// Which eval first (the palette has no lens arguments), then which sample.
				const target = await lensArgs(args, s.tests);
				if (!target) {
					void vscode.window.showInformationMessage('Open an eval file (or put the cursor in an eval) to debug one of its samples.');
					return;
				}
				let indexes = args?.index !== undefined ? [args.index] : undefined;
				if (!indexes) {
					const text = await vscode.window.showInputBox({
						prompt: 'Debug which sample? (0-based index; several: 1,5)',
						placeHolder: '0',
						validateInput: (value) => {
							try {
								parseSampleIndexes(value);
								return undefined;
							} catch (e) {
								return (e as Error).message;
							}
						},
					});
					if (text === undefined) return;
					indexes = parseSampleIndexes(text);
				}
				await run(target, { debug: true, onlySamples: indexes });
			}),
		),
		vscode.commands.registerCommand(
			Commands.openResults,
			guard(async (arg?: (RunLensArgs & { experiment?: string }) | vscode.TestItem) => {
				const args = isTestItem(arg) ? itemArgs(arg) : arg;
				const target = await lensArgs(args, s.tests);
				if (!target) return;
				const storePath = s.stores.storePathFor(target.file);
				const reader = await s.stores.reader(storePath);
				const experiment = (args && 'experiment' in args ? args.experiment : undefined) ?? (await reader?.resultsForEval(target.evalId, 1))?.[0]?.experiment;
				if (!experiment) {
					void vscode.window.showInformationMessage(`No stored results for ${target.evalId} yet: run it first.`);
					return;
				}
				await s.panels.openResults(storePath, experiment, target.evalId);
			}),
		),
		vscode.commands.registerCommand(
			Commands.resume,
			guard(async (args?: RunLensArgs) => {
				const target = await lensArgs(args, s.tests);
				if (!target || !args?.experiment) return;
				await s.tests.runEval(target.file, target.evalId, { intent: { kind: 'resume', experiment: args.experiment } });
			}),
		),
		vscode.commands.registerCommand(
			Commands.runInExperiment,
			guard(async (args?: RunLensArgs, name?: string) => {
				const target = await lensArgs(isTestItem(args) ? itemArgs(args) : args, s.tests);
				if (!target) {
					void vscode.window.showInformationMessage('Open an eval file (or put the cursor in an eval) to run it.');
					return;
				}
				const experiment = name ?? (await askExperimentName(`Run ${target.evalId} in experiment (an existing one is resumed: its completed samples are kept)`));
				if (experiment) await s.tests.runEval(target.file, target.evalId, { intent: { kind: 'named', experiment } });
			}),
		),
		vscode.commands.registerCommand(Commands.cancelRun, () => s.runs.cancelAll()),
		vscode.commands.registerCommand(Commands.showLog, () => s.log.show(true)),
		/** For benchmarks and e2e tests: how long `activate()` took, in ms. */
		vscode.commands.registerCommand(Commands.activationTime, () => s.activationMs()),
	);
}
