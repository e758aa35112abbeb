/**
 * The journals folder: which journals exist, which belong to writers that died (adopted by the next
 * checkpoint), and what happens to a journal once it is in the store's files: deleted, or, when some
 * of its lines could not be applied, moved to quarantine/ (the only copy of what they held is never
 * deleted) with a notice that says how many lines and where.
 */
import { mkdirSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import type { JournalRead } from './journal.js';
import { journalPid, journalTime, layoutOf, writerAlive, type StoreLayout } from './paths.js';

export interface JournalFile {
	file: string;
	pid: number;
	/** Its writer process is gone (crashed or killed): the next checkpoint adopts it. */
	orphaned: boolean;
}

export function listJournals(store: StoreLayout | string): JournalFile[] {
	const layout = typeof store === 'string' ? layoutOf(store) : store;
	let names: string[];
	try {
		names = readdirSync(layout.journals);
	} catch {
		return [];
	}
	return names
		.filter((name) => !Number.isNaN(journalPid(name)))
		.sort()
		.map((name) => {
			const pid = journalPid(name);
			return { file: path.join(layout.journals, name), pid, orphaned: !writerAlive(pid, journalTime(name)) };
		});
}

export function badLinesNotice(file: string, read: Pick<JournalRead, 'bad' | 'badLines'>): string {
	return `${read.bad} line${read.bad === 1 ? '' : 's'} of the journal ${file} could not be read (line${read.badLines.length === 1 ? '' : 's'} ${read.badLines.join(', ')}${read.bad > read.badLines.length ? ', …' : ''}) and were skipped`;
}

/**
 * A journal now applied to the store's files: delete it, or quarantine it when it had bad lines.
 * Returns the notice for a quarantined journal.
 */
export function retireJournal(layout: StoreLayout, file: string, read: Pick<JournalRead, 'bad' | 'badLines'> | undefined): string | undefined {
	if (read && read.bad > 0) {
		const target = path.join(layout.quarantine, path.basename(file));
		try {
			mkdirSync(layout.quarantine, { recursive: true });
			renameSync(file, target);
		} catch {
			return `${badLinesNotice(file, read)}; the journal is kept where it is`;
		}
		return `${badLinesNotice(file, read)}; every other line is in the store, and the journal is kept as ${target} (inspect it, then delete it)`;
	}
	try {
		unlinkSync(file);
	} catch {
		// Already adopted by another checkpoint: its content is in the files either way.
	}
	return undefined;
}
