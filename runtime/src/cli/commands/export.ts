/** `doteval export EXPERIMENT --format jsonl|csv [--output FILE]`: every sample, streamed. */
import { createWriteStream } from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../command.js';
import { noExtra, parseCommandArgs, requirePositional } from '../format/argsExtra.js';
import { parseChoice } from '../args.js';
import { ExitCode } from '../../protocol/events.js';
import type { SampleInfo } from '../../store/index.js';
import { guarded, requireExperiment, selectEvaluations, withReader, write } from '../format/storeCli.js';
import { exportToSqlite } from '../../store/exportSqlite.js';

const usage = `Usage: doteval export EXPERIMENT --format jsonl|csv [--output FILE] [--evaluation NAME] [--storage PATH]
       doteval export --format sqlite --output FILE [EXPERIMENT…] [--storage PATH]

Export every stored sample of an experiment, one per line (jsonl) or row (csv), to stdout or FILE.
sqlite: the chosen experiments (default: all) into one ordinary SQLite file, for SQL across them.
jsonl: {experiment, evalId, evaluation, index, row, prompt, modelResponse, scores, error, passed,
attempts, timing}. csv: fixed columns (the row as JSON in "row") plus one "score:<name>" column
per score.

Options:
  --format jsonl|csv|sqlite   output format (required)
  --output FILE        write to FILE instead of stdout (required for sqlite)
  --evaluation NAME    only this evaluation (its name or id)
  --storage PATH       the store folder (default: <project root>/.doteval/, or $DOTEVAL_STORAGE)
`;

const csvCell = (value: unknown): string => {
	if (value === null || value === undefined) return '';
	const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const csvColumns = [
	'experiment',
	'eval_id',
	'index',
	'row',
	'prompt',
	'model_response',
	'passed',
	'error_type',
	'error_message',
	'attempts',
	'latency_ms',
	'backoff_ms',
	'started_at',
	'finished_at',
];

function csvLine(experiment: string, evalId: string, s: SampleInfo, scoreNames: string[]): string {
	const scores = new Map(s.scores.map((sc) => [sc.name, sc.value]));
	return (
		[
			experiment,
			evalId,
			s.index,
			s.row,
			s.prompt,
			s.modelResponse,
			s.passed,
			s.error?.type,
			s.error?.message,
			s.attempts,
			s.timing.latencyMs,
			s.timing.backoffMs,
			new Date(s.timing.startedAt).toISOString(),
			new Date(s.timing.finishedAt).toISOString(),
			...scoreNames.map((name) => scores.get(name)),
		]
			.map(csvCell)
			.join(',') + '\r\n'
	);
}

const exportCommand: Command = {
	name: 'export',
	summary: 'export an experiment as jsonl or csv',
	usage,
	run: (argv, ctx) =>
		guarded(ctx, async () => {
			const { values, positionals } = parseCommandArgs('export', argv, {
				format: { type: 'string' },
				output: { type: 'string', short: 'o' },
				evaluation: { type: 'string' },
				storage: { type: 'string' },
			});
			const format = parseChoice('format', values.format, ['jsonl', 'csv', 'sqlite'] as const);
			if (!format) throw new UsageError('doteval export: --format jsonl, csv or sqlite is required');
			if (format === 'sqlite') return exportSqlite(ctx, values.storage, values.output as string | undefined, positionals);
			const experiment = requirePositional(positionals, 'EXPERIMENT (see doteval list)');
			noExtra(positionals, 1, 'export');
			return withReader(ctx, values.storage, async (reader, file) => {
				const evaluations = await selectEvaluations(reader, file, experiment, values.evaluation as string | undefined, (x) => reader.evaluationIds(x));
				const out = values.output ? createWriteStream(path.resolve(ctx.cwd, values.output as string)) : ctx.stdout;
				let count = 0;
				if (format === 'csv') {
					const names: string[] = [];
					for (const e of evaluations) names.push(...(await reader.scoreNames(experiment, e.evalId)));
					const scoreNames = [...new Set(names)];
					await write(out, [...csvColumns, ...scoreNames.map((n) => `score:${n}`)].map(csvCell).join(',') + '\r\n');
					for (const e of evaluations) {
						for await (const s of reader.allSamples(experiment, e.evalId)) {
							count++;
							await write(out, csvLine(experiment, e.evalId, s, scoreNames));
						}
					}
				} else {
					for (const e of evaluations) {
						for await (const s of reader.allSamples(experiment, e.evalId)) {
							count++;
							await write(out, JSON.stringify({ experiment, evalId: e.evalId, evaluation: e.name, ...s }) + '\n');
						}
					}
				}
				if (values.output) {
					out.end();
					await once(out, 'finish');
					ctx.stderr.write(`Exported ${count} sample${count === 1 ? '' : 's'} of '${experiment}' to ${values.output as string}.\n`);
				}
				return ExitCode.Ok;
			});
		}),
};

async function exportSqlite(ctx: CommandContext, storage: string | boolean | undefined, output: string | undefined, experiments: string[]): Promise<number> {
	if (!output) throw new UsageError('doteval export --format sqlite: --output FILE is required (an SQLite file is not written to a terminal)');
	return withReader(ctx, storage, async (reader, file) => {
		for (const name of experiments) await requireExperiment(reader, name, file);
		const chosen = experiments.length ? [...new Set(experiments)] : (await reader.listExperiments()).map((e) => e.name);
		const target = path.resolve(ctx.cwd, output);
		const { samples } = await exportToSqlite(reader, chosen, target);
		ctx.stderr.write(`Exported ${chosen.length} experiment${chosen.length === 1 ? '' : 's'} (${samples} sample${samples === 1 ? '' : 's'}) to ${output}.\n`);
		return ExitCode.Ok;
	});
}

export default exportCommand;
