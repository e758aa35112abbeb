/**
 * When the TypeScript compiler loads. Loading it blocks the server's only thread for 1–2.5 s cold,
 * so it waits until the first lens is out (answered from a text scan, discovery/quickScan.ts) or a
 * short while has passed, then loads once. While `hold()` says a lens request is still to come (an
 * open file the scan can answer), the wait goes on until that lens is answered (`soon(0)`), up to
 * `maxHoldMs`; no polling. Whatever cannot wait (a file
 * the scan is not sure of, a hover) loads it at once with `now()`.
 */
export class CompilerLoad {
	private done = false;
	private timer: NodeJS.Timeout | undefined;
	private dueAt = Infinity;
	private readonly createdAt = Date.now();
	private resolveLoaded: () => void = () => undefined;
	/** Resolves once the compiler is loaded (or failed to: the next parse reports it). */
	readonly loaded = new Promise<void>((resolve) => (this.resolveLoaded = resolve));

	constructor(
		private readonly load: () => void,
		private readonly hold: () => boolean = () => false,
		private readonly maxHoldMs = 5000,
	) {}

	get isLoaded(): boolean {
		return this.done;
	}

	/** Load within `ms` (an earlier call's sooner time stands). */
	soon(ms: number): void {
		if (this.done || Date.now() + ms >= this.dueAt) return;
		clearTimeout(this.timer);
		this.dueAt = Date.now() + ms;
		this.timer = setTimeout(() => this.due(), ms);
	}

	/** While `hold()` says so, wait on: the first lens's answer calls `soon(0)`, or the hold runs out. */
	private due(): void {
		this.dueAt = Infinity;
		const holdLeft = this.maxHoldMs - (Date.now() - this.createdAt);
		if (holdLeft > 0 && this.hold()) this.soon(holdLeft);
		else this.now();
	}

	now(): void {
		if (this.done) return;
		this.done = true;
		clearTimeout(this.timer);
		try {
			this.load();
		} catch {
			// Reported by the first parse that needs it, which tries again.
		}
		this.resolveLoaded();
	}

	dispose(): void {
		clearTimeout(this.timer);
	}
}
