/** A truncated or garbage database is refused with a message naming the file and the way out; never overwritten. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { openStore, openStoreReader, StoreError } from '../../runtime/src/store/index.js';
import { ExitCode } from '../../runtime/src/protocol/events.js';
import { runCommand, sample, start, tempDir } from './helpers.js';

async function populated(dir: string): Promise<string> {
	const db = path.join(dir, 'doteval.db');
	const store = await openStore(db);
	const writer = await store.beginEvaluation(start('good'));
	for (let i = 0; i < 2000; i++) writer.recordSample(sample(i));
	await writer.finish('completed');
	store.close();
	return db;
}

async function assertRefused(db: string, why: RegExp): Promise<void> {
	const before = readFileSync(db);
	for (const open of [openStoreReader, openStore]) {
		await assert.rejects(open(db), (error: Error) => {
			assert.ok(error instanceof StoreError, `expected a StoreError, got ${error.name}: ${error.message}`);
			assert.ok(error.message.includes(db), 'the message names the file');
			assert.match(error.message, why);
			assert.match(error.message, /mv '.*doteval\.db' '.*doteval\.db\.corrupt'/);
			assert.match(error.message, /journals/);
			return true;
		});
	}
	const result = await runCommand('show', ['good', '--storage', db], { cwd: path.dirname(db) });
	assert.equal(result.code, ExitCode.StoreError);
	assert.match(result.stderr, /is corrupt/);
	assert.deepEqual(readFileSync(db), before, 'the corrupt file was left exactly as it was');
}

test('a truncated database file', async (t) => {
	const db = await populated(tempDir(t));
	truncateSync(db, Math.floor(statSync(db).size / 2));
	await assertRefused(db, /truncated/);
});

test('a garbage database file', async (t) => {
	const db = path.join(tempDir(t), 'doteval.db');
	writeFileSync(db, randomBytes(64 * 1024));
	await assertRefused(db, /not an SQLite database/);
});

test('a database whose pages are garbage behind a valid header', async (t) => {
	const db = await populated(tempDir(t));
	const bytes = readFileSync(db);
	randomBytes(bytes.length - 100).copy(bytes, 100);
	writeFileSync(db, bytes);
	await assertRefused(db, /corrupt/);
});
