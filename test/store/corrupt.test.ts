/**
 * A truncated, garbage or damaged file is refused with a message naming the file and the way out, and
 * never overwritten; a corrupt evaluation file damages only that evaluation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import initSqlJs from 'sql.js';
import { openStore, openStoreReader, StoreError } from '../../runtime/src/store/index.js';
import { ExitCode } from '../../runtime/src/protocol/events.js';
import { runCommand, sample, start, tempDir } from './helpers.js';

/** A store with two experiments ('good', 'other'); returns the store folder and the file of 'good'. */
async function populated(dir: string): Promise<{ store: string; goodFile: string }> {
	const store = path.join(dir, '.doteval');
	const writer = await openStore(store);
	for (const [experiment, n] of [
		['good', 2000],
		['other', 10],
	] as const) {
		const ev = await writer.beginEvaluation(start(experiment, experiment === 'good' ? 'evalSentiment' : 'evalOther'));
		for (let i = 0; i < n; i++) ev.recordSample(sample(i));
		await ev.finish('completed');
	}
	await writer.close();
	const goodFile = readdirSync(path.join(store, 'evals')).find((name) => name.startsWith('evalSentiment-'))!;
	return { store, goodFile: path.join(store, 'evals', goodFile) };
}

async function assertRefused(store: string, file: string, why: RegExp, experiment: string): Promise<void> {
	const before = readFileSync(file);
	const check = (error: Error) => {
		assert.ok(error instanceof StoreError, `expected a StoreError, got ${error.name}: ${error.message}`);
		assert.ok(error.message.includes(file), 'the message names the file');
		assert.match(error.message, why);
		assert.ok(error.message.includes(`mv '${file}' '${file}.corrupt'`), error.message);
		assert.match(error.message, /journals/);
		return true;
	};
	const result = await runCommand('show', [experiment, '--full', '--storage', store], { cwd: path.dirname(store) });
	assert.equal(result.code, ExitCode.StoreError, result.stderr);
	assert.match(result.stderr, /is corrupt/);
	if (file.endsWith('catalog.db')) {
		for (const open of [openStoreReader, openStore]) await assert.rejects(open(store), check);
	} else {
		const reader = await openStoreReader(store);
		await assert.rejects(reader.samples(experiment, 'evalSentiment'), check);
		await reader.close();
	}
	// A new run into the store must not checkpoint over it either.
	const writer = await openStore(store).catch((error: Error) => error);
	if (!(writer instanceof Error)) {
		// Resuming the damaged evaluation is refused at its start (its skip set cannot be read)...
		const ev = await writer.beginEvaluation(start(experiment)).catch((error: Error) => error);
		assert.ok(ev instanceof Error, 'resuming a damaged evaluation is refused');
		check(ev);
		// ...while a new experiment is stored beside it.
		const fresh = await writer.beginEvaluation(start('fresh'));
		fresh.recordSample(sample(0));
		await fresh.finish('completed');
		await writer.close();
		const reader = await openStoreReader(store);
		assert.equal((await reader.getEvaluation('fresh', 'evalSentiment'))?.summary.completed, 1);
		await reader.close();
	}
	assert.deepEqual(readFileSync(file), before, 'the corrupt file was left exactly as it was');
}

test('a truncated evaluation file; the other experiments stay readable', async (t) => {
	const { store, goodFile } = await populated(tempDir(t));
	truncateSync(goodFile, Math.floor(statSync(goodFile).size / 2));
	await assertRefused(store, goodFile, /truncated/, 'good');
	const other = await runCommand('show', ['other', '--full', '--storage', store], { cwd: path.dirname(store) });
	assert.equal(other.code, ExitCode.Ok, other.stderr);
	assert.match(other.stdout, /Samples\s+10 stored/);
	const list = await runCommand('list', ['--storage', store], { cwd: path.dirname(store) });
	assert.equal(list.code, ExitCode.Ok);
	assert.match(list.stdout, /good/);
});

test('a garbage catalog', async (t) => {
	const { store } = await populated(tempDir(t));
	writeFileSync(path.join(store, 'catalog.db'), randomBytes(64 * 1024));
	await assertRefused(store, path.join(store, 'catalog.db'), /not an SQLite database/, 'good');
});

test('one damaged page in the middle of an evaluation file (not page 1) is found and the file never rewritten', async (t) => {
	const { store, goodFile } = await populated(tempDir(t));
	const bytes = readFileSync(goodFile);
	const pageSize = bytes.readUInt16BE(16);
	const pages = bytes.length / pageSize;
	randomBytes(pageSize).copy(bytes, Math.floor(pages / 2) * pageSize);
	writeFileSync(goodFile, bytes);
	await assertRefused(store, goodFile, /corrupt/, 'good');
});

test('every file carries a checksum of its bytes; a file changed since (with sqlite3, say) is checked with quick_check and read as usual', async (t) => {
	const { store } = await populated(tempDir(t));
	const evals = readdirSync(path.join(store, 'evals')).map((name) => path.join(store, 'evals', name));
	for (const file of [path.join(store, 'catalog.db'), ...evals]) {
		const bytes = readFileSync(file);
		const stored = bytes.readUInt32BE(68);
		bytes.writeUInt32BE(0, 68);
		assert.equal(stored, crc32(bytes) || 1, `${file}: the header's application id holds the CRC-32 of the file`);
	}
	// An edit by SQLite itself (as sqlite3 would make it) leaves the old checksum: the file no longer
	// matches it, so it is checked page by page, found healthy, and read.
	const otherFile = evals.find((file) => path.basename(file).startsWith('evalOther-'))!;
	const SQL = await initSqlJs();
	const db = new SQL.Database(readFileSync(otherFile));
	db.run(`UPDATE samples SET prompt = 'edited by hand' WHERE idx = 0`);
	writeFileSync(otherFile, db.export());
	db.close();
	const reader = await openStoreReader(store);
	const page = await reader.samples('other', 'evalOther', { limit: 1 });
	assert.equal(page.samples[0]?.prompt, 'edited by hand');
	await reader.close();
});
