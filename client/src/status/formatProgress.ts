/** The status bar text of a run. Pure. */
import type { RunProgress } from '../testing/runTracker';

export function formatProgress(progress: RunProgress, accuracy: number | null): string {
	const count = progress.total === null ? `${progress.done}` : `${progress.done}/${progress.total}`;
	const acc = accuracy === null ? '' : ` · ${(accuracy * 100).toFixed(1)} %`;
	const errors = progress.errored ? ` · ${progress.errored} error${progress.errored === 1 ? '' : 's'}` : '';
	return `doteval ${count}${acc}${errors}`;
}
