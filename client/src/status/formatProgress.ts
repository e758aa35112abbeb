/** The status bar text of a run, and a running eval's description in the Test Explorer. Pure. */
import type { RunProgress } from '../testing/runTracker';

export function formatProgress(progress: RunProgress, accuracy: number | null): string {
	const count = progress.total === null ? `${progress.done}` : `${progress.done}/${progress.total}`;
	const acc = accuracy === null ? '' : ` · ${(accuracy * 100).toFixed(1)} %`;
	const errors = progress.errored ? ` · ${progress.errored} error${progress.errored === 1 ? '' : 's'}` : '';
	return `doteval ${count}${acc}${errors}`;
}

/** A running eval's description: `running 3/8` (this run's samples done, of those it runs), `running 3` while the total is unknown. */
export function runningDescription(done: number, total: number | null): string {
	return total === null ? `running ${done}` : `running ${Math.min(done, total)}/${total}`;
}
