/**
 * Watches a `doteval run` for the ways user code can end it behind its back, so that none of them
 * looks like a success (exit 0 with only the header printed):
 *
 * - the event loop empties while samples are outstanding (`beforeExit`): they await a promise that
 *   nothing will ever settle. The run stops as interrupted (exit 130) and names those samples;
 * - the eval calls `process.exit()`: the exit code becomes 130 and the samples running are named;
 * - a promise rejection nobody handles (a forgotten `await`): the error record of the sample whose
 *   code made the promise (see executor/sampleContext.ts), else a warning — not Node's crash.
 *
 * Finished samples are journaled as they end (one synchronous write each), so all three keep them.
 */
import { writeSync } from 'node:fs';
import { ExitCode } from '../../protocol/events.js';
import { currentSample } from '../../executor/sampleContext.js';
import { addScopeReader } from '../../core/sampleScope.js';
import type { Logger } from '../logger.js';

export interface RunWatch {
	/** Resolves when the event loop emptied while an evaluation was running (it can never finish). */
	readonly stalled: Promise<void>;
	evalStarted(evalId: string, name: string): void;
	evalEnded(): void;
	sampleStarted(index: number): void;
	sampleEnded(index: number): void;
	/** What is outstanding, for messages: "eval_a.ts::evalA sample 1" or "…samples 1, 4". */
	describeRunning(): string;
	/** The run is over (normally or by Ctrl+C): stop watching. */
	dispose(): void;
}

export interface RunWatchOptions {
	log: Logger;
	/** Stops the run: no new sample or evaluation starts (the interrupt handle's abort). */
	stop(reason: string): void;
	/** True once Ctrl+C/SIGTERM stopped the run: its own exit is not a surprise. */
	interrupted(): boolean;
	/** The command that resumes this run, for the messages. */
	resumeHint(): string;
	exitNow?: (code: number) => void;
}

function errorText(reason: unknown): string {
	if (reason instanceof Error) return reason.stack ?? `${reason.name}: ${reason.message}`;
	return String(reason);
}

export function watchRun(options: RunWatchOptions): RunWatch {
	const { log } = options;
	const exitNow = options.exitNow ?? ((code: number) => process.exit(code));
	let evalId: string | undefined;
	const idsByName = new Map<string, string>();
	const running = new Set<number>();
	let stallCount = 0;
	let markStalled!: () => void;
	const stalled = new Promise<void>((resolve) => {
		markStalled = resolve;
	});

	const describeRunning = () => {
		if (evalId === undefined) return 'no evaluation';
		if (running.size === 0) return `${evalId} (while setting up: a fixture or the dataset)`;
		const indexes = [...running].sort((a, b) => a - b);
		return `${evalId} ${indexes.length === 1 ? 'sample' : 'samples'} ${indexes.slice(0, 20).join(', ')}${indexes.length > 20 ? `, … (${indexes.length} in all)` : ''}`;
	};

	const onBeforeExit = () => {
		stallCount++;
		if (stallCount === 1 && evalId !== undefined) {
			const what = describeRunning();
			const count = running.size;
			log.error(
				`the run cannot finish: ${what} never settled — nothing is left that could settle ${count === 1 ? 'it' : 'them'} (a promise that is never resolved: a missing resolve() call, an event that never fires, a callback never called). Stopping as interrupted.`,
			);
			options.stop(`stalled: ${what}`);
			markStalled();
			return;
		}
		// Stalled outside an evaluation's samples (loading a file, a fixture's teardown), or again.
		log.error(
			`the run cannot finish: nothing is left to run while ${evalId === undefined ? 'loading the eval files or closing the run' : describeRunning()} — some code awaits a promise that is never resolved. Samples already finished are stored; resume with:\n  ${options.resumeHint()}`,
		);
		exitNow(ExitCode.Interrupted);
	};

	const onExit = (code: number) => {
		if (options.interrupted()) return;
		const what = running.size > 0 || evalId !== undefined ? ` while ${describeRunning()} ${running.size === 1 ? 'was' : 'were'} running` : '';
		// Only synchronous work is possible here.
		writeSync(
			2,
			`error: an eval called process.exit(${code})${what}; the run did not finish. Samples already finished are stored; resume with:\n  ${options.resumeHint()}\n`,
		);
		process.exitCode = ExitCode.Interrupted;
	};

	const onUnhandled = (reason: unknown) => {
		const sample = currentSample();
		if (sample?.running) return sample.fail(reason);
		if (sample) {
			const id = idsByName.get(sample.evalName) ?? sample.evalName;
			log.warn(
				`${id} sample ${sample.index}: an unhandled rejection after the sample had finished (a promise it made was neither awaited nor given a .catch()); its record is unchanged: ${errorText(reason)}`,
			);
			return;
		}
		log.warn(
			`an unhandled rejection outside any sample (module code, a fixture or a timer: a promise neither awaited nor given a .catch()); the run goes on: ${errorText(reason)}`,
		);
	};

	process.on('beforeExit', onBeforeExit);
	process.on('exit', onExit);
	process.on('unhandledRejection', onUnhandled);
	// Blaming a rejection on its sample needs the samples' async context (core/sampleScope.ts).
	const stopReading = addScopeReader();
	return {
		stalled,
		evalStarted(id, name) {
			evalId = id;
			idsByName.set(name, id);
			running.clear();
		},
		evalEnded() {
			evalId = undefined;
			running.clear();
		},
		sampleStarted: (index) => void running.add(index),
		sampleEnded: (index) => void running.delete(index),
		describeRunning,
		dispose() {
			process.off('beforeExit', onBeforeExit);
			process.off('exit', onExit);
			process.off('unhandledRejection', onUnhandled);
			stopReading();
		},
	};
}
