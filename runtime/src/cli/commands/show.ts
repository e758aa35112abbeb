/** `doteval show EXPERIMENT`: per evaluation, metrics with intervals, errors and timing. */
import type { Command, CommandContext } from '../command.js';
import { parseCommandArgs, requirePositional } from '../format/argsExtra.js';
import { ExitCode } from '../../protocol/events.js';
import type { EvaluationInfo, SampleInfo, StoreReader } from '../../store/index.js';
import { formatEvaluation, formatSampleLine } from '../format/evaluation.js';
import { makeStyle, statusText } from '../format/style.js';
import { formatDate } from '../../contracts/format.js';
import { printable } from '../format/printable.js';
import { guarded, selectEvaluations, withReader, write } from '../format/storeCli.js';

const usage = `Usage: doteval show EXPERIMENT [--evaluation NAME] [--errors] [--full] [--json] [--storage PATH]

Show an experiment: for each evaluation its metrics with 95 % intervals, errors by type, and timing
(wall time, samples/s, latency percentiles, concurrency and speedup over one-at-a-time).

Options:
  --evaluation NAME  only this evaluation (its name or its id file::name)
  --errors           also list every errored sample with its row
  --full             also list every sample
  --json             machine-readable output (with --errors/--full: the samples too)
  --storage PATH     the store folder (default: <project root>/.doteval/, or $DOTEVAL_STORAGE)
`;

const show: Command = {
	name: 'show',
	summary: 'show an experiment: scores, errors and timing per evaluation',
	usage,
	run: (argv, ctx) =>
		guarded(ctx, async () => {
			const { values, positionals } = parseCommandArgs('show', argv, {
				evaluation: { type: 'string' },
				errors: { type: 'boolean' },
				full: { type: 'boolean' },
				json: { type: 'boolean' },
				storage: { type: 'string' },
			});
			const experiment = requirePositional(positionals, 'EXPERIMENT (see doteval list)');
			return withReader(ctx, values.storage, async (reader, file) => {
				const evaluations = await selectEvaluations(reader, file, experiment, values.evaluation as string | undefined, (x) => reader.listEvaluations(x));
				const which = values.full ? 'all' : values.errors ? 'errored' : undefined;
				if (values.json) await showJson(ctx, reader, experiment, evaluations, which);
				else await showText(ctx, reader, experiment, evaluations, which);
				return ExitCode.Ok;
			});
		}),
};

async function showText(ctx: CommandContext, reader: StoreReader, experiment: string, evaluations: EvaluationInfo[], which?: 'all' | 'errored'): Promise<void> {
	const style = makeStyle(ctx.isTTY, ctx.env);
	const info = (await reader.listExperiments()).find((e) => e.name === experiment)!;
	ctx.stdout.write(
		`${style.bold(`Experiment ${printable(experiment)}`)}  ${statusText(style, info.status)}  ${formatDate(info.updatedAt)}  ` +
			`${info.evaluationCount} evaluation${info.evaluationCount === 1 ? '' : 's'}\n`,
	);
	for (const evaluation of evaluations) {
		ctx.stdout.write('\n' + formatEvaluation(evaluation, style));
		if (!which) continue;
		const label = which === 'all' ? 'Samples' : 'Errored samples';
		ctx.stdout.write(`\n  ${style.bold(label)}\n`);
		let count = 0;
		for await (const sample of samplesOf(reader, experiment, evaluation.evalId, which)) {
			count++;
			await write(ctx.stdout, formatSampleLine(sample, style) + '\n');
		}
		if (count === 0) ctx.stdout.write(`    (none)\n`);
	}
}

async function* samplesOf(reader: StoreReader, experiment: string, evalId: string, which: 'all' | 'errored'): AsyncGenerator<SampleInfo> {
	if (which === 'all') {
		yield* reader.allSamples(experiment, evalId);
		return;
	}
	for (let offset = 0; ; offset += 1000) {
		const page = await reader.samples(experiment, evalId, { filter: 'errored', offset, limit: 1000 });
		yield* page.samples;
		if (page.samples.length < 1000) return;
	}
}

async function showJson(ctx: CommandContext, reader: StoreReader, experiment: string, evaluations: EvaluationInfo[], which?: 'all' | 'errored'): Promise<void> {
	const info = (await reader.listExperiments()).find((e) => e.name === experiment)!;
	await write(ctx.stdout, `{"experiment":${JSON.stringify(info)},"evaluations":[`);
	for (const [i, evaluation] of evaluations.entries()) {
		const head = JSON.stringify(evaluation);
		if (!which) {
			await write(ctx.stdout, (i ? ',' : '') + head);
			continue;
		}
		// Stream the samples inside the evaluation object: --full over 100,000 samples stays flat.
		await write(ctx.stdout, `${i ? ',' : ''}${head.slice(0, -1)},"samples":[`);
		let first = true;
		for await (const sample of samplesOf(reader, experiment, evaluation.evalId, which)) {
			await write(ctx.stdout, (first ? '' : ',') + JSON.stringify(sample));
			first = false;
		}
		await write(ctx.stdout, ']}');
	}
	await write(ctx.stdout, ']}\n');
}

export default show;
