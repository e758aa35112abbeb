/**
 * The launch configuration that debugs an eval: Node's debugger (js-debug, type `node`) runs the CLI,
 * which loads the eval file with source maps, so a breakpoint in the eval function stops. Pure.
 */
import { runArgs } from './cliArgs';
import type { RunPlan } from './plan';

export interface NodeLaunchConfig {
	type: 'node';
	request: 'launch';
	name: string;
	program: string;
	args: string[];
	cwd: string;
	console: 'integratedTerminal' | 'internalConsole';
	/** The CLI writes its report with process.stdout.write, not console.log: capture the streams. */
	outputCapture: 'std';
	sourceMaps: true;
	/** Let breakpoints bind in the eval files (loaded from memory by the CLI) and skip Node internals. */
	resolveSourceMapLocations: string[];
	/**
	 * Hold each script until its source map is read and breakpoints are bound: without it, a quick
	 * sample can run past a breakpoint on a loaded machine (seen in the e2e debug scenario).
	 */
	pauseForSourceMap: true;
	skipFiles: string[];
	env: Record<string, string>;
	/** Marks our sessions so the extension can find them again. */
	__doteval: true;
}

export function debugConfiguration(cli: string, plan: RunPlan, env: Record<string, string> = {}): NodeLaunchConfig {
	// The pretty reporter: a person reads this run in the Debug Console.
	const args = runArgs(plan).map((a, i, all) => (all[i - 1] === '--reporter' ? 'pretty' : a));
	const what = plan.selectors.join(' ');
	const samples = plan.onlySamples?.length ? ` (sample ${plan.onlySamples.join(', ')})` : '';
	return {
		type: 'node',
		request: 'launch',
		name: `doteval: debug ${what}${samples}`,
		program: cli,
		args,
		cwd: plan.projectRoot,
		console: 'internalConsole',
		outputCapture: 'std',
		sourceMaps: true,
		resolveSourceMapLocations: ['**', '!**/node_modules/**'],
		pauseForSourceMap: true,
		skipFiles: ['<node_internals>/**'],
		env: { ...env, NO_COLOR: '1' },
		__doteval: true,
	};
}
