/**
 * Keeps the EvalIndex in step with the eval files on disk: a full scan of the workspace folders
 * (at start, on settings changes, and as a poll for clients that send no file events), and single
 * files the client reports as changed. Open documents are left to the document events.
 */
import * as path from 'node:path';
import type { EvalIndex } from './evalIndex';
import { EvalFileMatcher, findEvalFiles } from './globs';

/** Without file events from the client, look at the disk this often. */
const pollMs = 2000;

export class WorkspaceSync {
	private folders: string[] = [];
	private matcher = new EvalFileMatcher();
	private generation = 0;
	private pollTimer: NodeJS.Timeout | undefined;
	private inProgress = false;
	/** The scan in progress (or the last one). */
	scanning: Promise<void> = Promise.resolve();

	constructor(
		private readonly index: EvalIndex,
		private readonly isOpen: (file: string) => boolean,
		private readonly afterScan: () => void,
	) {}

	configure(folders: string[], globs: readonly string[]): void {
		this.folders = folders;
		this.matcher = new EvalFileMatcher(globs);
	}

	/** The workspace folder a file is in (the innermost), if any. */
	folderOf(file: string): string | undefined {
		return this.folders.filter((f) => file.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0];
	}

	/**
	 * Walk the folders and (re)index eval files. A newer scan replaces an older one, and the older
	 * one's promise then settles with the newer one: whoever waits for a scan waits for a complete index.
	 */
	rescan(): Promise<void> {
		const generation = ++this.generation;
		this.inProgress = true;
		this.scanning = (async (): Promise<void> => {
			try {
				const found = new Set(this.folders.flatMap((folder) => findEvalFiles(folder, this.matcher)));
				for (const file of this.index.files()) if (!found.has(file) && !this.isOpen(file)) this.index.remove(file);
				// The editor sends the documents it shows right after `initialized`: a timer (not an
				// immediate, which would run before the connection reads its next message) lets them
				// be parsed, and their lenses answered, before the workspace is indexed.
				await new Promise((resolve) => setTimeout(resolve, 0));
				for (const file of found) {
					// Pending messages first, before each file (a yield costs microseconds, a parse
					// milliseconds): requests during a scan wait for one file at most.
					await new Promise((resolve) => setImmediate(resolve));
					if (generation !== this.generation) return this.scanning;
					if (!this.isOpen(file)) this.index.updateFromDisk(file);
				}
				this.afterScan();
			} finally {
				if (generation === this.generation) this.inProgress = false;
			}
		})();
		return this.scanning;
	}

	/** A file created, changed or deleted on disk (or a document closed). */
	fileChanged(file: string, deleted: boolean): void {
		if (this.isOpen(file)) return;
		const relevant = this.folders.some((folder) => this.matcher.matches(path.relative(folder, file)));
		if (deleted || !relevant) this.index.remove(file);
		else this.index.updateFromDisk(file);
	}

	startPolling(): void {
		// A slow scan (a big workspace, a busy machine) is not restarted by the next tick.
		this.pollTimer = setInterval(() => {
			if (!this.inProgress) void this.rescan();
		}, pollMs);
		this.pollTimer.unref();
	}

	stopPolling(): void {
		clearInterval(this.pollTimer);
		this.pollTimer = undefined;
	}
}
