/**
 * When to say "store X changed": at most once per interval while a run appends (throttled, not
 * debounced, so a long run still shows progress), and at once for a change that matters now (an
 * evaluation or a run ended). Pure apart from the injected timer functions.
 */
export interface Timers {
	set(fn: () => void, ms: number): unknown;
	clear(handle: unknown): void;
}

export const realTimers: Timers = {
	set: (fn, ms) => setTimeout(fn, ms),
	clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class ChangeThrottle {
	private readonly pending = new Map<string, unknown>();

	constructor(
		private readonly emit: (key: string) => void,
		private readonly timers: Timers = realTimers,
	) {}

	/** A change to `key`; `urgent` emits now (and drops a pending emit), else within `intervalMs`. */
	change(key: string, intervalMs: number, urgent = false): void {
		if (urgent) {
			this.cancel(key);
			this.emit(key);
			return;
		}
		if (this.pending.has(key)) return;
		this.pending.set(
			key,
			this.timers.set(() => {
				this.pending.delete(key);
				this.emit(key);
			}, intervalMs),
		);
	}

	dispose(): void {
		for (const key of [...this.pending.keys()]) this.cancel(key);
	}

	private cancel(key: string): void {
		if (!this.pending.has(key)) return;
		this.timers.clear(this.pending.get(key));
		this.pending.delete(key);
	}
}
