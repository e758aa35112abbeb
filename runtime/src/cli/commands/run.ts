/** `doteval run`: see run/runEvals.ts. */
import type { Command } from '../command.js';
import { runUsage } from '../run/options.js';
import { runEvals } from '../run/runEvals.js';

const run: Command = {
	name: 'run',
	summary: 'run evals and store their results (resumes an --experiment by default)',
	usage: runUsage,
	run: (argv, ctx) => runEvals(argv, ctx),
};

export default run;
