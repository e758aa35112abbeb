/**
 * Ctrl+C during `doteval run`. The first SIGINT (or SIGTERM) aborts the run's signal: no new sample
 * starts, in-flight samples finish and are stored, evaluations are marked interrupted, the resume
 * command is printed and the process exits 130. A second one exits at once; samples already
 * journaled stay durable.
 */
import { ExitCode } from '../../protocol/events.js';
import type { Logger } from '../logger.js';

export interface InterruptHandle {
	readonly signal: AbortSignal;
	readonly interrupted: boolean;
	/** Stop the run as if interrupted (no new sample starts; exit 130), for a reason of the run's own. */
	stop(reason: string): void;
	/** Stop listening (the run is over). */
	dispose(): void;
}

export function handleInterrupts(log: Logger, exitNow: (code: number) => void = (code) => process.exit(code)): InterruptHandle {
	const controller = new AbortController();
	let count = 0;
	const onSignal = (name: NodeJS.Signals) => {
		count++;
		if (count === 1) {
			log.warn(`${name}: finishing the samples in flight, then stopping (press Ctrl+C again to exit now)`);
			controller.abort(new Error(`interrupted by ${name}`));
		} else {
			log.warn('exiting now; samples already stored are kept');
			exitNow(ExitCode.Interrupted);
		}
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	return {
		signal: controller.signal,
		get interrupted() {
			return controller.signal.aborted;
		},
		stop: (reason) => {
			if (!controller.signal.aborted) controller.abort(new Error(reason));
		},
		dispose() {
			// After a Ctrl+C the process is on its way out: a second one must still exit with 130, not
			// fall back to Node's default (killed by SIGINT).
			if (controller.signal.aborted) return;
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
		},
	};
}
