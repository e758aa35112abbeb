/**
 * Back-off sleeps of one run, cut short when the run is aborted (Ctrl+C). One abort listener wakes
 * every sleeper: a listener per sleeping sample would pass Node's limit of 10 on the run's signal as
 * soon as more than 10 samples back off at once (a rate limit hits all of them), and warn about a leak.
 */
export class BackoffSleeps {
	private readonly sleepers = new Set<() => void>();
	private readonly onAbort = () => {
		for (const wake of [...this.sleepers]) wake();
	};

	constructor(private readonly signal: AbortSignal) {
		signal.addEventListener('abort', this.onAbort, { once: true });
	}

	/** Resolves after `ms`, or at once when the signal is (or gets) aborted. */
	sleep(ms: number): Promise<void> {
		if (this.signal.aborted || ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const wake = () => {
				clearTimeout(timer);
				this.sleepers.delete(wake);
				resolve();
			};
			const timer = setTimeout(wake, ms);
			this.sleepers.add(wake);
		});
	}

	dispose(): void {
		this.signal.removeEventListener('abort', this.onAbort);
	}
}
