/** `doteval rename OLD NEW`. */
import type { Command } from '../command.js';
import { noExtra, parseCommandArgs, requirePositional } from '../format/argsExtra.js';
import { printable } from '../format/printable.js';
import { ExitCode } from '../../protocol/events.js';
import { openStoreAt } from '../../store/open.js';
import { guarded, requireExperiment, storePath, withReader } from '../format/storeCli.js';

const usage = `Usage: doteval rename OLD NEW [--storage PATH]

Rename an experiment. A timestamped experiment that gets a name becomes a named one; resume it with
doteval run --experiment NEW.

Options:
  --storage PATH   the store folder (default: <project root>/.doteval/, or $DOTEVAL_STORAGE)
`;

const rename: Command = {
	name: 'rename',
	summary: 'rename an experiment',
	usage,
	run: (argv, ctx) =>
		guarded(ctx, async () => {
			const { values, positionals } = parseCommandArgs('rename', argv, { storage: { type: 'string' } });
			const from = requirePositional(positionals, 'OLD experiment name (see doteval list)');
			const to = requirePositional(positionals, 'NEW experiment name', 1);
			noExtra(positionals, 2, 'rename');
			await withReader(ctx, values.storage, (reader, file) => requireExperiment(reader, from, file));
			const store = await openStoreAt(storePath(ctx, values.storage), { env: ctx.env });
			try {
				await store.renameExperiment(from, to);
			} finally {
				await store.close();
			}
			ctx.stdout.write(`Renamed experiment '${printable(from)}' to '${printable(to)}'.\n`);
			return ExitCode.Ok;
		}),
};

export default rename;
