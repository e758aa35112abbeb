/** `doteval delete EXPERIMENT`: asks first on a terminal; --yes skips the question. */
import { createInterface } from 'node:readline';
import type { Command, CommandContext } from '../command.js';
import { noExtra, parseCommandArgs, requirePositional } from '../format/argsExtra.js';
import { printable } from '../format/printable.js';
import { ExitCode } from '../../protocol/events.js';
import { openStoreAt } from '../../store/open.js';
import { fail, guarded, requireExperiment, storePath, withReader } from '../format/storeCli.js';

const usage = `Usage: doteval delete EXPERIMENT [--yes] [--storage PATH]

Delete an experiment with all its evaluations and samples. On a terminal it asks for confirmation;
elsewhere (scripts, CI) it refuses unless --yes is given.

Options:
  -y, --yes        do not ask
  --storage PATH   the store folder (default: <project root>/.doteval/, or $DOTEVAL_STORAGE)
`;

function ask(ctx: CommandContext, question: string): Promise<string> {
	const rl = createInterface({ input: ctx.stdin, output: ctx.stdout, terminal: false });
	return new Promise((resolve) => {
		let answered = false;
		rl.question(question, (answer) => {
			answered = true;
			rl.close();
			resolve(answer);
		});
		rl.once('close', () => answered || resolve(''));
	});
}

const del: Command = {
	name: 'delete',
	summary: 'delete an experiment',
	usage,
	run: (argv, ctx) =>
		guarded(ctx, async () => {
			const { values, positionals } = parseCommandArgs('delete', argv, { yes: { type: 'boolean', short: 'y' }, storage: { type: 'string' } });
			const name = requirePositional(positionals, 'EXPERIMENT (see doteval list)');
			noExtra(positionals, 1, 'delete');
			const what = await withReader(ctx, values.storage, async (reader, file) => {
				await requireExperiment(reader, name, file);
				const evaluations = await reader.listEvaluations(name);
				const samples = evaluations.reduce((sum, e) => sum + e.summary.completed, 0);
				return `experiment '${printable(name)}' (${evaluations.length} evaluation${evaluations.length === 1 ? '' : 's'}, ${samples} sample${samples === 1 ? '' : 's'})`;
			});
			if (!values.yes) {
				if (!ctx.isTTY) return fail(ctx, `not deleting ${what} without confirmation: pass --yes to delete from a script`, ExitCode.Usage);
				const answer = await ask(ctx, `Delete ${what}? [y/N] `);
				if (!/^y(es)?$/i.test(answer.trim())) {
					ctx.stdout.write('Nothing deleted.\n');
					return ExitCode.Ok;
				}
			}
			const store = await openStoreAt(storePath(ctx, values.storage), { env: ctx.env });
			try {
				await store.deleteExperiment(name);
			} finally {
				await store.close();
			}
			ctx.stdout.write(`Deleted ${what}.\n`);
			return ExitCode.Ok;
		}),
};

export default del;
