/**
 * The server's start-up milestones, logged once (to the extension's output channel) so the e2e
 * suite and a user reading the log see where the time to the first lens went. `performance.now()`
 * counts from the start of this process.
 */
import { typeScriptLoadMs } from './discovery/typescript';

export class StartupTiming {
	private initializeAt: number | undefined;
	private openedAt: number | undefined;
	private askedAt: number | undefined;
	private done = false;

	constructor(private readonly log: (message: string) => void) {}

	initialize(): void {
		this.initializeAt ??= performance.now();
	}

	/** The first document the client opened. */
	opened(): void {
		this.openedAt ??= performance.now();
	}

	/** The first CodeLens request. */
	asked(): void {
		this.askedAt ??= performance.now();
	}

	/** Called as each CodeLens answer leaves; logs the first one (`quick`: from the text scan, before the compiler). */
	firstLens(quick = false): void {
		if (this.done) return;
		this.done = true;
		const ts = typeScriptLoadMs();
		this.log(
			`[startup] first CodeLens answered ${ms(performance.now())} after the server process started at ${new Date(performance.timeOrigin).toISOString()} ` +
				`(initialize at ${ms(this.initializeAt)}, first document opened at ${ms(this.openedAt)}, CodeLens asked at ${ms(this.askedAt)}` +
				`${quick ? ', from the text scan before typescript loaded' : ts === undefined ? '' : `, typescript loaded in ${ms(ts)}`})`,
		);
	}
}

function ms(value: number | undefined): string {
	return value === undefined ? '?' : `${Math.round(value)} ms`;
}
