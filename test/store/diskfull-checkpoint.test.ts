/**
 * A full disk during a checkpoint (a real tmpfs): the writer journals every sample, the disk is then
 * filled, and its final checkpoint cannot write the temporaries of the segment files and catalog.
 * The previous files must be intact (byte for byte), no temporary left, the journal kept; once space
 * is freed, the next process adopts the journal and every sample is stored once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { listJournals, openStoreReader } from '../../runtime/src/store/index.js';
import { collect, tempDir } from './helpers.js';

const child = path.join(__dirname, 'fixtures', 'writer-child.ts');
const env = { ...process.env, DOTEVAL_SEGMENT_SAMPLES: '100', CHECKPOINT_BYTES: String(1 << 30) };

function runChild(args: string[], extra: NodeJS.ProcessEnv = {}, onPaused?: () => void): Promise<{ code: number | null; stderr: string }> {
	return new Promise((resolve) => {
		const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
		let stderr = '';
		proc.stdout.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('paused')) onPaused?.();
		});
		proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		proc.on('close', (code) => resolve({ code, stderr }));
	});
}

const hashes = (dir: string): Map<string, string> =>
	new Map(
		[path.join(dir, 'catalog.db'), ...readdirSync(path.join(dir, 'evals')).map((n) => path.join(dir, 'evals', n))].map((file) => [
			file,
			createHash('sha256').update(readFileSync(file)).digest('hex'),
		]),
	);

/** Write until the disk says it is full, then give back `spare` bytes (room for the lock, not for a file of the store). */
function fill(file: string, spare: number): void {
	const fd = openSync(file, 'w');
	const block = Buffer.alloc(4096, 1);
	let size = 0;
	try {
		for (;;) size += writeSync(fd, block);
	} catch (error) {
		assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
	} finally {
		closeSync(fd);
	}
	truncateSync(file, Math.max(0, size - spare));
}

test('a full disk during a checkpoint leaves the previous files intact; the journal is adopted once space is free', async (t) => {
	const mountPoint = tempDir(t);
	const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
	if (mounted.status !== 0) {
		t.skip(`cannot mount a tmpfs here (${mounted.stderr.toString().trim()}): the full-disk case is not checked on this machine`);
		return;
	}
	try {
		await checkpointOnFullDisk(mountPoint, path.join(tempDir(t), 'pause'));
	} finally {
		// Before tempDir's removal of the mount point (after-hooks run in the order they were added).
		spawnSync('umount', ['-l', mountPoint]);
	}
});

async function checkpointOnFullDisk(mountPoint: string, pause: string): Promise<void> {
	const dir = path.join(mountPoint, 'store');
	const first = await runChild([dir, 'big', '300', '0']);
	assert.equal(first.code, 0, first.stderr);
	const before = hashes(dir);

	// A second experiment is journaled; then the disk fills up before its checkpoint.
	const filler = path.join(mountPoint, 'filler');
	const full = await runChild([dir, 'second', '300', '0'], { PAUSE_FILE: pause }, () => {
		fill(filler, 16 * 1024);
		unlinkSync(pause);
	});
	assert.notEqual(full.code, 0, 'the checkpoint cannot have succeeded on a full disk');
	assert.match(full.stderr, /ENOSPC/);
	assert.match(full.stderr, /the disk is full: free some space/);
	assert.doesNotMatch(full.stderr, /store's lock/, 'the checkpoint got the lock and failed writing a file');
	assert.deepEqual(hashes(dir), before, 'every file of the store is as it was before the failed checkpoint');
	assert.deepEqual(
		readdirSync(path.join(dir, 'evals')).filter((n) => n.includes('.tmp-')),
		[],
		'no temporary is left',
	);
	assert.equal(listJournals(dir).length, 1, 'the journal with the second experiment is kept');
	for (const file of before.keys()) assert.equal(execFileSync('sqlite3', [file, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim(), 'ok', file);

	// Space again: the next writer adopts the dead writer's journal.
	rmSync(filler);
	const resumed = await runChild([dir, 'second', '300', '0']);
	assert.equal(resumed.code, 0, resumed.stderr);
	assert.equal(listJournals(dir).length, 0);
	const reader = await openStoreReader(dir);
	try {
		for (const experiment of ['big', 'second']) {
			const indexes = (await collect(reader.allSamples(experiment, 'evals/sentiment.eval.ts::evalSentiment'))).map((s) => s.index);
			assert.deepEqual(
				indexes,
				Array.from({ length: 300 }, (_, i) => i),
				experiment,
			);
		}
	} finally {
		await reader.close();
	}
}
