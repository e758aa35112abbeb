/** `doteval list`: every experiment in the store, newest first. */
import type { Command, CommandContext } from '../command.js';
import { parseCommandArgs } from '../args.js';
import { ExitCode } from '../../protocol/events.js';
import { formatTable } from '../format/table.js';
import { makeStyle, statusText } from '../format/style.js';
import { formatDate } from '../../contracts/format.js';
import { guarded, storePath, withReader } from '../format/storeCli.js';
import { isPostgresUrl } from '../../contracts/storage.js';
import { layoutOf } from '../../store/paths.js';
import { readListing } from '../../store/listing.js';
import type { ExperimentInfo } from '../../store/types.js';
import { printable } from '../format/printable.js';

const usage = `Usage: doteval list [--name TEXT] [--json] [--storage PATH]

List the experiments in the store (newest first): named ones (--experiment NAME) and timestamped
ones (runs without --experiment), with their evaluation count, status and date.

Options:
  --name TEXT      only experiments whose name contains TEXT
  --json           machine-readable output
  --storage PATH   the store folder (default: <project root>/.doteval/, or $DOTEVAL_STORAGE)
`;

const list: Command = {
	name: 'list',
	summary: 'list experiments',
	usage,
	run: (argv, ctx) =>
		guarded(ctx, async () => {
			const { values, positionals } = parseCommandArgs('list', argv, {
				name: { type: 'string' },
				json: { type: 'boolean' },
				storage: { type: 'string' },
			});
			const nameFilter = (values.name as string | undefined) ?? positionals[0];
			const print = (experiments: ExperimentInfo[], file: string): number => printExperiments(ctx, experiments, file, values.json === true, nameFilter);
			// The listing written with the catalog, when it provably matches it (store/listing.ts): no sql.js.
			const file = storePath(ctx, values.storage);
			const listed = isPostgresUrl(file) ? undefined : readListing(layoutOf(file), nameFilter);
			if (listed) return print(listed, file);
			return withReader(ctx, values.storage, async (reader, file) => print(await reader.listExperiments(nameFilter), file));
		}),
};

function printExperiments(ctx: CommandContext, experiments: ExperimentInfo[], file: string, json: boolean, nameFilter: string | undefined): number {
	if (json) {
		ctx.stdout.write(JSON.stringify({ storage: file, experiments }, null, 2) + '\n');
		return ExitCode.Ok;
	}
	if (experiments.length === 0) {
		ctx.stdout.write(nameFilter ? `No experiment matches '${printable(nameFilter)}' in ${printable(file)}.\n` : `No experiments yet in ${printable(file)}.\n`);
		return ExitCode.Ok;
	}
	const style = makeStyle(ctx.isTTY, ctx.env);
	const rows = [['EXPERIMENT', 'KIND', 'EVALS', 'STATUS', 'UPDATED'].map(style.bold)];
	for (const e of experiments) {
		rows.push([printable(e.name), e.ephemeral ? 'timestamped' : 'named', String(e.evaluationCount), statusText(style, e.status), formatDate(e.updatedAt)]);
	}
	ctx.stdout.write(formatTable(rows, { right: [2] }));
	ctx.stdout.write(style.dim(`${experiments.length} experiment${experiments.length === 1 ? '' : 's'} in ${printable(file)}`) + '\n');
	return ExitCode.Ok;
}

export default list;
