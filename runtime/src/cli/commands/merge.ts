/**
 * `doteval merge A B … --into C`: combine stores (typically the embedded stores of the shards of one
 * run, downloaded from CI artifacts) into one. Every sample of every experiment is copied through
 * the store's writer, so the usual rules decide duplicates: one row per (evaluation, index), a
 * success wins over an error. Evaluations whose dataset fingerprints differ are refused before
 * anything is written: their samples would not describe one dataset.
 */
import type { Command } from '../command.js';
import { parseCommandArgs } from '../format/argsExtra.js';
import { UsageError } from '../command.js';
import { ExitCode, type EvalStatus } from '../../protocol/events.js';
import { StoreRefusal, resolveStoragePath, type EvaluationInfo, type StoreReader } from '../../store/index.js';
import { openReaderAt, openStoreAt } from '../../store/open.js';
import { redactUrl } from '../../store/postgres/location.js';
import { guarded } from '../format/storeCli.js';

const usage = `Usage: doteval merge STORE STORE… --into TARGET [--experiment NAME]

Copy every experiment of the given stores into TARGET (created when missing), e.g. the stores of the
shards of one run (doteval run --shard I/N in each CI job). The same sample in several stores is
stored once: a success wins over an error. An evaluation whose dataset differs between stores (another
dataset fingerprint) is refused, and nothing is written.

A STORE or TARGET is a store folder or .db file, or a postgres:// URL.

Options:
  --into TARGET       the store to merge into (required)
  --experiment NAME   merge only this experiment
  --force             merge even though dataset fingerprints differ

Example:
  doteval merge shard-1/.doteval shard-2/.doteval shard-3/.doteval --into .doteval
`;

interface Source {
	location: string;
	reader: StoreReader;
}

/** status of the merged evaluation: completed only if every store completed it. */
function mergedStatus(statuses: EvalStatus[]): EvalStatus {
	for (const worst of ['failed', 'interrupted', 'running'] as const) if (statuses.includes(worst)) return worst === 'running' ? 'interrupted' : worst;
	return 'completed';
}

const merge: Command = {
	name: 'merge',
	summary: 'merge stores (e.g. of the shards of a run) into one',
	usage,
	run: (argv, ctx) =>
		guarded(ctx, async () => {
			const { values, positionals } = parseCommandArgs('merge', argv, { into: { type: 'string' }, experiment: { type: 'string' }, force: { type: 'boolean' } });
			if (typeof values.into !== 'string' || !values.into) throw new UsageError('doteval merge: --into TARGET is required (the store to merge into)');
			if (positionals.length === 0)
				throw new UsageError('doteval merge: name the stores to merge, e.g. doteval merge shard-1/.doteval shard-2/.doteval --into .doteval');
			const resolve = (given: string) => resolveStoragePath({ storage: given, cwd: ctx.cwd, env: {} });
			const target = resolve(values.into);
			const sources: Source[] = [];
			try {
				for (const given of positionals) {
					const location = resolve(given);
					if (location === target) throw new UsageError(`doteval merge: ${redactUrl(given)} is the --into store itself`);
					sources.push({ location, reader: await openReaderAt(location, { env: ctx.env }) });
				}
				// Every evaluation of every experiment, grouped, checked before the first write.
				const plan = new Map<string, Map<string, { info: EvaluationInfo; from: Source }[]>>();
				for (const source of sources) {
					for (const experiment of await source.reader.listExperiments()) {
						if (values.experiment !== undefined && experiment.name !== values.experiment) continue;
						const evaluations = plan.get(experiment.name) ?? new Map();
						plan.set(experiment.name, evaluations);
						for (const info of await source.reader.listEvaluations(experiment.name)) {
							const list = evaluations.get(info.evalId) ?? [];
							list.push({ info, from: source });
							evaluations.set(info.evalId, list);
						}
					}
				}
				if (plan.size === 0)
					throw new StoreRefusal(
						values.experiment !== undefined ? `no store given has an experiment named '${values.experiment}'` : 'the stores given hold no experiments',
					);
				for (const [experiment, evaluations] of plan) {
					for (const [evalId, parts] of evaluations) {
						const prints = new Set(parts.map((p) => p.info.datasetFingerprint).filter((f) => f !== null));
						if (prints.size > 1 && !values.force) {
							throw new StoreRefusal(
								`${evalId} in experiment '${experiment}' ran on different datasets: ` +
									parts.map((p) => `${redactUrl(p.from.location)} (fingerprint ${String(p.info.datasetFingerprint).slice(0, 12)})`).join(', ') +
									'; merging would mix results of two datasets. Merge only stores of one run, or pass --force',
							);
						}
					}
				}
				const store = await openStoreAt(target, { env: ctx.env });
				let samples = 0;
				try {
					for (const [experiment, evaluations] of plan) {
						for (const [evalId, parts] of evaluations) {
							const first = parts[0]!.info;
							const writer = await store.beginEvaluation({
								experiment,
								evalId,
								name: first.name,
								file: first.file,
								strategy: first.strategy,
								gitCommit: first.gitCommit,
								runtimeVersion: first.runtimeVersion,
								datasetFingerprint: first.datasetFingerprint,
								force: values.force === true,
								total: parts.reduce<number | null>((max, p) => (p.info.summary.total === null ? max : Math.max(max ?? 0, p.info.summary.total)), null),
								ephemeral: false,
							});
							for (const { from } of parts) {
								for await (const sample of from.reader.allSamples(experiment, evalId)) {
									writer.recordSample(sample);
									samples++;
								}
							}
							await writer.finish(mergedStatus(parts.map((p) => p.info.status)), {
								wallMs: Math.max(...parts.map((p) => p.info.summary.wallMs)),
								maxInFlight: Math.max(...parts.map((p) => p.info.summary.maxInFlight)),
							});
						}
					}
				} finally {
					await store.close();
				}
				const experiments = [...plan.keys()];
				ctx.stdout.write(
					`Merged ${samples} sample${samples === 1 ? '' : 's'} of ${experiments.length} experiment${experiments.length === 1 ? '' : 's'} (${experiments.join(', ')}) from ${sources.length} store${sources.length === 1 ? '' : 's'} into ${redactUrl(target)}.\n`,
				);
				return ExitCode.Ok;
			} finally {
				for (const source of sources) await source.reader.close();
			}
		}),
};

export default merge;
