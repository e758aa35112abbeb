/**
 * Migration of a single-file store (doteval ≤ 0.1: `doteval.db` with every sample in it) into the
 * folder layout, on first open, under the lock: each evaluation's rows move into its own file with
 * the same ids, the catalog keeps everything else plus the summaries, journals the old writers left
 * are replayed first, and the old file is renamed to a backup (never deleted). The catalog is written
 * last, so a crash mid-way leaves no catalog and the next open migrates again from the untouched file.
 */
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import { Applier } from './apply.js';
import { readJournal } from './journal.js';
import { emptyDatabase, readDatabase } from './file.js';
import { evaluationFileKey, summarizeEvalFile } from './evalFile.js';
import { asStoreError } from './checkpoint.js';
import { replaceFileAtomically } from './file.js';
import { withLock } from './lock.js';
import { evalFilePath, type StoreLayout } from './paths.js';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

const isFile = (file: string): boolean => {
	try {
		return statSync(file).isFile();
	} catch {
		return false;
	}
};

/** The single-file store to migrate into this folder, if there is one and no catalog yet. */
export function legacyStore(layout: StoreLayout): string | undefined {
	if (existsSync(layout.catalog)) return undefined;
	return layout.legacy.find(isFile);
}

/** Migrates when needed; returns the one-line notice to show, or undefined when there was nothing to do. */
export function migrateLegacyStore(SQL: SqlJsStatic, layout: StoreLayout, lockTimeoutMs?: number): string | undefined {
	const legacy = legacyStore(layout);
	if (!legacy) return undefined;
	mkdirSync(layout.dir, { recursive: true });
	return withLock(
		layout.lock,
		() => {
			if (existsSync(layout.catalog)) return undefined; // another process migrated it meanwhile
			const backup = legacy === layout.legacy[0] ? layout.backup : `${legacy}.v1-backup`;
			const { db } = readDatabase(SQL, legacy, 'catalog');
			try {
				const journals = replayLegacyJournals(db, `${legacy}.journals`);
				const evaluations = (db.exec('SELECT id, name FROM evaluations ORDER BY id')[0]?.values ?? []).map(([id, name]) => ({
					id: Number(id),
					name: String(name),
				}));
				for (const evaluation of evaluations) {
					const firstRun = db.exec('SELECT uid FROM runs WHERE evaluation_id = ? ORDER BY started_at, uid LIMIT 1', [evaluation.id])[0]?.values[0]?.[0];
					const key = evaluationFileKey(evaluation.name, firstRun === undefined ? String(evaluation.id) : String(firstRun));
					const own = evaluationDatabase(SQL, db, evaluation.id);
					try {
						const summarized = summarizeEvalFile(own);
						db.run('INSERT INTO evaluation_files (evaluation_id, file_key, samples, summary_json) VALUES (?, ?, ?, ?)', [
							evaluation.id,
							key,
							summarized?.samples ?? 0,
							summarized ? JSON.stringify(summarized.summary) : null,
						]);
						write(evalFilePath(layout, key), own.export());
					} finally {
						own.close();
					}
				}
				db.exec('DELETE FROM scores; DELETE FROM samples;');
				db.exec('VACUUM');
				write(layout.catalog, db.export());
				renameSync(legacy, backup);
				if (journals) renameSync(journals, `${backup}.journals`);
			} finally {
				db.close();
			}
			return `migrated the store ${legacy} (one file, written by doteval 0.1) into the folder ${layout.dir}; the old file is kept as ${backup}`;
		},
		lockTimeoutMs,
	);
}

/** Journals a v1 writer left beside its file: applied to the old database first, so nothing is lost. */
function replayLegacyJournals(db: Database, dir: string): string | undefined {
	let names: string[];
	try {
		names = readdirSync(dir)
			.filter((name) => name.endsWith('.jsonl'))
			.sort();
	} catch {
		return undefined;
	}
	const applier = new Applier(db);
	db.exec('BEGIN');
	try {
		for (const name of names) readJournal(path.join(dir, name), (record) => applier.apply(record));
		applier.settle();
		db.exec('COMMIT');
	} finally {
		applier.free();
	}
	return dir;
}

const columns = (db: Database, table: string): string[] => (db.exec(`PRAGMA table_info(${table})`)[0]?.values ?? []).map((r) => String(r[1]));

/** Rows of `table` matching `where` from one database into another, every column as it is. */
function copyRows(from: Database, to: Database, table: string, where: string, params: (number | string)[]): void {
	const names = columns(from, table);
	const select = from.prepare(`SELECT ${names.join(', ')} FROM ${table} WHERE ${where}`);
	const insert = to.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
	try {
		select.bind(params);
		while (select.step()) insert.run(select.get());
	} finally {
		select.free();
		insert.free();
	}
}

/** One evaluation's own file: its experiment row (named '', see evalFile.ts), evaluation, runs, samples, scores. */
function evaluationDatabase(SQL: SqlJsStatic, db: Database, evaluationId: number): Database {
	const own = emptyDatabase(SQL);
	own.exec('BEGIN');
	copyRows(db, own, 'experiments', 'id = (SELECT experiment_id FROM evaluations WHERE id = ?)', [evaluationId]);
	own.run("UPDATE experiments SET name = ''");
	copyRows(db, own, 'evaluations', 'id = ?', [evaluationId]);
	copyRows(db, own, 'runs', 'evaluation_id = ?', [evaluationId]);
	copyRows(db, own, 'samples', 'evaluation_id = ?', [evaluationId]);
	copyRows(db, own, 'scores', 'sample_id IN (SELECT id FROM samples WHERE evaluation_id = ?)', [evaluationId]);
	own.exec('COMMIT');
	return own;
}

function write(file: string, image: Uint8Array): void {
	try {
		replaceFileAtomically(file, image);
	} catch (error) {
		throw asStoreError(error, file);
	}
}
