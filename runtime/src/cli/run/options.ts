/** `doteval run`'s command line, parsed and validated. */
import { parseChoice, parseCommandArgs, parseIndexList, parseIntegerOption, type OptionSpec } from '../args.js';
import { UsageError } from '../command.js';
import type { ReporterName } from '../../reporters/reporter.js';
import { parseReporterList, type ExtraReporterSpec } from '../../reporters/spec.js';
import { parseFailUnder, type Threshold } from '../../gates/thresholds.js';
import { cacheModes, type CacheMode } from '../../models/cache/mode.js';
import { parseShard, type Shard } from './share.js';
import { MAX_TRIALS } from '../../metrics/trials.js';

export interface RunOptions {
	/** Files, folders, globs, or `file.ts::evalName` selectors; empty = the current folder. */
	targets: string[];
	experiment?: string;
	samples?: number;
	filter?: string;
	concurrency?: number;
	/** The reporter on stdout. */
	reporter: ReporterName;
	/** File and CI reporters (junit:FILE, jsonl:FILE, github). */
	extraReporters: ExtraReporterSpec[];
	/** --fail-under: minimums every selected eval that reports the metric must reach. */
	failUnder: Threshold[];
	/** --baseline: the experiment to test for a regression against. */
	baseline?: string;
	storage?: string;
	list: boolean;
	force: boolean;
	onlySamples?: ReadonlySet<number>;
	/** --trials K: run each row K times (overrides the evals' own `trials`). */
	trials?: number;
	/** --rerun: run the selected samples even when the experiment has them, replacing them (the editor's re-runs). */
	rerun: boolean;
	/** --cache: the response cache of `doteval/models` calls (default: each client's own option, else off). */
	cache?: CacheMode;
	/** --shard i/n: only this deterministic share of every eval's samples (see share.ts). */
	shard?: Shard;
	/** --workers-join: share the experiment's samples with other workers (PostgreSQL store). */
	workersJoin?: boolean;
}

export const runOptionSpec: OptionSpec = {
	experiment: { type: 'string', short: 'e' },
	samples: { type: 'string' },
	filter: { type: 'string', short: 'k' },
	concurrency: { type: 'string' },
	reporter: { type: 'string' },
	'fail-under': { type: 'string', multiple: true },
	baseline: { type: 'string' },
	storage: { type: 'string' },
	list: { type: 'boolean' },
	force: { type: 'boolean' },
	'only-samples': { type: 'string' },
	rerun: { type: 'boolean' },
	cache: { type: 'string' },
	trials: { type: 'string' },
	shard: { type: 'string' },
	'workers-join': { type: 'boolean' },
};

export const runUsage = `Usage: doteval run [files|folders|globs|file.ts::evalName ...] [options]

Runs the evals found (default: *.eval.ts and eval_*.ts, also .mts/.js/.mjs, under the current
folder, outside node_modules and dot-folders) and stores every sample. Running again with the same
--experiment resumes it: completed samples are skipped, errored and missing ones run.

Options:
  -e, --experiment NAME   store into this experiment (default: a new one named by the time)
      --samples N         run only the first N samples of each dataset (a total, also on resume)
  -k, --filter TEXT       run only evals whose id contains TEXT
      --concurrency N     run N samples at once (a SlidingWindow), whatever the eval configures
      --reporter LIST     pretty (default), jsonl (the event stream on stdout, logs on stderr),
                          jsonl:FILE, junit:FILE (JUnit XML), github (annotations, job summary);
                          several comma-separated: pretty,junit:out.xml,github
      --fail-under SPEC   quality gate: fail (exit 6) when a metric is below a minimum,
                          SCORE.METRIC=MIN or METRIC=MIN, e.g. 'exactMatch.accuracy=0.8'
      --baseline NAME     quality gate: fail (exit 6) when a score dropped significantly against
                          experiment NAME (paired 95 % interval of the difference below 0)
      --storage PATH      the store folder (default: .doteval/ in the project root)
      --list              print the ids of the evals found, run nothing
      --force             resume even though the dataset changed since the experiment began
      --only-samples LIST run only these 0-based sample indexes, e.g. 0,4,7
      --cache MODE        model calls through doteval/models: off, on (answer from the cache,
                          store misses), replay (only the cache; a miss fails the sample) or
                          record (call and store every answer); see docs/models.md
      --trials K          run each row K times (each trial its own sample and cache entries);
                          show and diff give pass@K, pass^K and the unstable rows
      --storage PATH|URL  the store folder (default: .doteval/ in the project root),
                          or a PostgreSQL team store: postgres://user@host:port/db
                          (password in PGPASSWORD or ~/.pgpass, never in the URL)
      --list              print the ids of the evals found, run nothing
      --force             resume even though the dataset changed since the experiment began
      --only-samples LIST run only these 0-based sample indexes, e.g. 0,4,7
      --rerun             run the selected samples again even when the experiment has them,
                          replacing the stored ones (the others are kept); without it a run
                          into an existing experiment resumes it
      --shard I/N         run shard I of N: the samples whose index modulo N is I-1
                          (the same command on N machines covers every sample once)
      --workers-join      share the experiment with other workers running the same
                          command (PostgreSQL store): each claims chunks as it goes
  -h, --help              show this help

Examples:
  doteval run
  doteval run examples/eval_slow_sync.ts --experiment sync_baseline
  doteval run examples/eval_concurrent_sentiment.ts::evalHighConcurrency --experiment high_concurrency
  doteval run evals/ --filter sentiment --samples 20 --reporter jsonl
  doteval run evals/ --fail-under 'exactMatch.accuracy=0.8' --baseline main --reporter pretty,junit:junit.xml,github
  doteval run evals/ --experiment nightly --shard 2/4 --storage postgres://ci@db:5432/evals
`;

export function parseRunOptions(argv: string[]): RunOptions {
	const { values, positionals } = parseCommandArgs('run', argv, runOptionSpec);
	const experiment = values.experiment as string | undefined;
	if (experiment !== undefined && experiment.trim() === '') throw new UsageError('--experiment needs a name');
	const reporters = parseOr(() => parseReporterList(String(values.reporter ?? 'pretty')));
	const failUnder = ((values['fail-under'] ?? []) as unknown as string[]).flatMap((text) => parseOr(() => parseFailUnder(text)));
	const baseline = values.baseline as string | undefined;
	if (baseline !== undefined && baseline.trim() === '') throw new UsageError('--baseline needs the name of an experiment (see doteval list)');
	const shard = parseShard(values.shard);
	const workersJoin = values['workers-join'] === true;
	if (shard && workersJoin) throw new UsageError('--shard and --workers-join split the work in two different ways; use one of them');
	if (values.rerun === true && workersJoin) throw new UsageError('--rerun replaces samples and --workers-join shares what is left to do; use one of them');
	if ((shard || workersJoin) && experiment === undefined) {
		throw new UsageError(
			`${shard ? '--shard' : '--workers-join'} needs --experiment NAME: every ${shard ? 'shard' : 'worker'} must write into the same experiment`,
		);
	}
	if (workersJoin && values['only-samples'] !== undefined) {
		// The workers share chunks of consecutive samples; a list of samples is one process's job.
		throw new UsageError('--only-samples and --workers-join do not go together: run the listed samples in one process (without --workers-join)');
	}
	const trials = parseIntegerOption('trials', values.trials, 1);
	if (trials !== undefined && trials > MAX_TRIALS) throw new UsageError(`--trials expects at most ${MAX_TRIALS} (how many times each row runs), got ${trials}`);
	return {
		targets: positionals,
		experiment,
		samples: parseIntegerOption('samples', values.samples, 1),
		filter: values.filter as string | undefined,
		concurrency: parseIntegerOption('concurrency', values.concurrency, 1),
		reporter: reporters.stdout,
		extraReporters: reporters.extra,
		failUnder,
		baseline,
		storage: values.storage as string | undefined,
		list: values.list === true,
		force: values.force === true,
		onlySamples: parseIndexList('only-samples', values['only-samples']),
		rerun: values.rerun === true,
		cache: parseChoice('cache', values.cache, cacheModes),
		trials,
		shard,
		workersJoin,
	};
}

/** The pure parsers throw plain Errors; on the command line they are usage errors. */
function parseOr<T>(parse: () => T): T {
	try {
		return parse();
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
}
