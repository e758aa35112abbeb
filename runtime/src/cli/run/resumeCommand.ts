/**
 * The command printed when a run is interrupted: the same arguments, with `--experiment NAME` so
 * that it resumes the same experiment.
 */
import * as path from 'node:path';

/** Quote an argument for POSIX shells when it holds anything but safe characters. */
export function shellQuote(arg: string): string {
	return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** argv without any --experiment/-e (either form), then `--experiment name` appended. */
export function withExperiment(argv: string[], experiment: string): string[] {
	const out: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--experiment' || arg === '-e') {
			i++;
			continue;
		}
		if (arg.startsWith('--experiment=') || (arg.startsWith('-e') && arg.length > 2 && !arg.startsWith('--'))) continue;
		out.push(arg);
	}
	return [...out, '--experiment', experiment];
}

/**
 * How the user invoked doteval: `npx doteval` or `doteval` through the package bin, else
 * `node <path to cli.js>` relative to the current folder.
 */
export function invocation(scriptPath: string | undefined, cwd: string, env: NodeJS.ProcessEnv = {}): string {
	if (!scriptPath) return 'doteval';
	const base = path.basename(scriptPath);
	// npm sets npm_command=exec for `npx` / `npm exec`; without npx the bin is not on the PATH.
	if (base === 'doteval' || base === 'doteval.cmd') return env.npm_command === 'exec' ? 'npx doteval' : 'doteval';
	const rel = path.relative(cwd, scriptPath);
	return `node ${shellQuote(rel.startsWith('../..') ? scriptPath : rel)}`;
}

export function resumeCommand(prefix: string, runArgv: string[], experiment: string): string {
	return [prefix, 'run', ...withExperiment(runArgv, experiment).map(shellQuote)].join(' ');
}
