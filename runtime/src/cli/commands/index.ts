/**
 * Every `doteval <command>`, loaded on demand so that `doteval list` never pays for esbuild and
 * `doteval run` never pays for the report code.
 */
import type { Command } from '../command.js';

type CommandModule = { default: Command };

export const commandLoaders: Record<string, () => Promise<CommandModule>> = {
	run: () => import('./run.js'),
	list: () => import('./list.js'),
	show: () => import('./show.js'),
	rename: () => import('./rename.js'),
	delete: () => import('./delete.js'),
	diff: () => import('./diff.js'),
	compare: () => import('./compare.js'),
	export: () => import('./export.js'),
};

/** One line per command for `doteval --help` (kept here so --help loads no command module). */
export const commandSummaries: Record<string, string> = {
	run: 'run evals and store their results (resumes an --experiment by default)',
	list: 'list experiments',
	show: 'show an experiment: scores, errors and timing per evaluation',
	rename: 'rename an experiment',
	delete: 'delete an experiment',
	diff: 'compare two experiments (or two evals over one dataset) sample by sample',
	compare: 'compare several experiments side by side: metrics and timing',
	export: 'export an experiment as jsonl or csv',
};
