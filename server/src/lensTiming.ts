/**
 * Where the time of a result lens goes after a run's end: the store read, the refresh the server
 * sends, how long VS Code waits before it asks again (its CodeLens debounce: the average of recent
 * answer times, ≥ 250 ms), and how long the answer took. VS Code then waits another ≥ 250 ms (its
 * resolve debounce) before it shows a changed lens's text. Logged once per settled result (not for
 * a running lens's ticks), so a user or the e2e suite reading the log sees the breakdown.
 */
export class LensTiming {
	private lastChangeAt = 0;
	private pending: { changedAt: number; refreshedAt?: number } | undefined;

	constructor(private readonly log: (message: string) => void) {}

	/** The client said the store changed. */
	storeChanged(): void {
		this.lastChangeAt = Date.now();
	}

	/** An open document's lenses now show a finished result read after the last store change. */
	settled(): void {
		if (this.lastChangeAt) this.pending = { changedAt: this.lastChangeAt };
	}

	/** A codeLens/refresh went out. */
	refreshSent(): void {
		if (this.pending) this.pending.refreshedAt ??= Date.now();
	}

	/** A CodeLens request came at `askedAt` and is answered now. */
	answered(askedAt: number): void {
		const p = this.pending;
		if (!p?.refreshedAt || askedAt < p.refreshedAt) return;
		this.pending = undefined;
		this.log(
			`[lens] store change at ${new Date(p.changedAt).toISOString()} → refresh sent ${p.refreshedAt - p.changedAt} ms later, ` +
				`VS Code asked ${askedAt - p.refreshedAt} ms after that, answered in ${Date.now() - askedAt} ms`,
		);
	}
}
