/**
 * Checkpoints during a run, in a worker thread beside the run. Folding journal lines into SQLite
 * costs several times what appending them does (sql.js: about 15–30 µs per sample against 5 µs for a
 * journal line): in the writer's own thread every checkpoint stalled the run (the store recorded at
 * 0.13× the speed of a raw journal). In a second thread it runs on another core while the run goes on;
 * the journal, fsynced as before, is what makes a sample durable, so nothing waits for the worker
 * except close().
 *
 * One worker per process, started at the first checkpoint and kept for the next ones: a new worker
 * per checkpoint paid a new isolate and a new wasm instance each time (a 100k run peaked about 60 MB
 * higher). The worker is unref'd, so it never keeps a process alive; jobs run one at a time.
 *
 * The worker runs this very module (found from a stack frame, since import.meta cannot be used in
 * code that is also bundled as CJS). That only works from built ESM files; elsewhere (tsx in tests, a
 * CJS bundle) `backgroundCheckpointSupported()` is false and the caller checkpoints in-process.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { compiledSqlJs, loadSqlJs, useCompiledSqlJs, type WasmModule } from './sqljs.js';
import { checkpointStore } from './checkpoint.js';
import { withLock } from './lock.js';
import { layoutOf } from './paths.js';
import { defaultNotice } from './store.js';

const key = 'dotevalCheckpoint';
const enum State {
	Pending = 0,
	Started = 1,
	Done = 2,
	Failed = 3,
}

interface Job {
	dir: string;
	journals: string[];
	/** [0]: State; bytes written, as a float64 at byte 8. */
	state: SharedArrayBuffer;
}

function thisModuleUrl(): string | undefined {
	const saved = Error.prepareStackTrace;
	try {
		// Raw call sites: the generated file, not a source-mapped .ts path.
		Error.prepareStackTrace = (_error, sites) => sites;
		const sites = new Error().stack as unknown as NodeJS.CallSite[];
		return sites[0]?.getFileName() ?? undefined;
	} catch {
		return undefined;
	} finally {
		Error.prepareStackTrace = saved;
	}
}

const moduleUrl = thisModuleUrl();

export function backgroundCheckpointSupported(): boolean {
	if (!moduleUrl || !moduleUrl.startsWith('file:') || !/\.m?js$/.test(moduleUrl) || process.env.DOTEVAL_CHECKPOINT_IN_PROCESS === '1') return false;
	// Never the program's entry file itself: the worker would run the whole program again.
	const entry = process.argv[1];
	return !entry || pathToFileURL(path.resolve(entry)).href !== moduleUrl;
}

/** The process's checkpoint worker and the state of each job it has not finished. */
let running: { worker: Worker; jobs: Set<Int32Array> } | undefined;

function checkpointWorker(): { worker: Worker; jobs: Set<Int32Array> } {
	if (running) return running;
	// A small young generation: the worker parses megabytes of journal lines into short-lived
	// objects, and a heap left to grow would keep the run's memory high.
	const worker = new Worker(new URL(moduleUrl!), {
		workerData: { [key]: true, sqlJs: compiledSqlJs() },
		resourceLimits: { maxYoungGenerationSizeMb: 4 },
	});
	const current = { worker, jobs: new Set<Int32Array>() };
	// A run that ends without close() must not wait for the worker; its journals are adopted later.
	worker.unref();
	const fail = () => {
		if (running === current) running = undefined;
		for (const state of current.jobs) {
			Atomics.store(state, 0, State.Failed);
			Atomics.notify(state, 0);
		}
		current.jobs.clear();
	};
	worker.on('error', fail);
	worker.on('exit', fail);
	return (running = current);
}

export class BackgroundCheckpoint {
	private readonly state: Int32Array;
	readonly journals: string[];
	private readonly written: Float64Array;

	constructor(dir: string, journals: string[]) {
		const shared = new SharedArrayBuffer(16);
		this.state = new Int32Array(shared, 0, 1);
		this.written = new Float64Array(shared, 8, 1);
		this.journals = journals;
		const job: Job = { dir, journals, state: shared };
		const { worker, jobs } = checkpointWorker();
		jobs.add(this.state);
		worker.postMessage(job);
	}

	/** Bytes the checkpoint wrote, once it is done. */
	bytes(): number | undefined {
		return this.poll() ? this.written[0] : undefined;
	}

	/** null while it runs; then whether the journals are now in the store's files. */
	poll(): boolean | null {
		const state = Atomics.load(this.state, 0);
		if (state === State.Done || state === State.Failed) running?.jobs.delete(this.state);
		return state === State.Done ? true : state === State.Failed ? false : null;
	}

	/** Block until the worker is done (close() is synchronous). A worker that never starts counts as failed. */
	wait(startTimeoutMs = 15_000): boolean {
		const startedBy = Date.now() + startTimeoutMs;
		for (;;) {
			const done = this.poll();
			if (done !== null) return done;
			const state = Atomics.load(this.state, 0);
			if (state === State.Pending && Date.now() > startedBy) return false;
			Atomics.wait(this.state, 0, state, 50);
		}
	}
}

async function runJob(job: Job): Promise<void> {
	const state = new Int32Array(job.state, 0, 1);
	Atomics.store(state, 0, State.Started);
	let outcome = State.Failed;
	try {
		const SQL = await loadSqlJs();
		const started = Date.now();
		const layout = layoutOf(job.dir);
		const size = withLock(layout.lock, () => {
			const { catalog, bytes, notices } = checkpointStore(SQL, layout, job.journals);
			catalog.close();
			for (const notice of notices) defaultNotice(notice);
			return bytes;
		});
		new Float64Array(job.state, 8, 1)[0] = size;
		outcome = State.Done;
		if (process.env.DOTEVAL_DEBUG_STORE) {
			const m = process.memoryUsage();
			process.stderr.write(
				`doteval: checkpoint in a worker: ${job.journals.length} journal(s) into ${size} bytes in ${Date.now() - started} ms (rss ${m.rss >> 20} heap ${m.heapTotal >> 20} ext ${m.external >> 20} ab ${m.arrayBuffers >> 20} MB)\n`,
			);
		}
	} catch (error) {
		process.stderr.write(`doteval: background checkpoint failed (the journal is kept and written at the end of the run): ${(error as Error).message}\n`);
	} finally {
		Atomics.store(state, 0, outcome);
		Atomics.notify(state, 0);
	}
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[key]) {
	const { sqlJs } = workerData as { sqlJs?: WasmModule };
	if (sqlJs) useCompiledSqlJs(sqlJs);
	// One job at a time, in the order they were sent: a checkpoint takes the store's lock anyway.
	let queue = Promise.resolve();
	parentPort!.on('message', (job: Job) => {
		queue = queue.then(() => runJob(job));
	});
}
