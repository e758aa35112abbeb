/**
 * The listing (store/listing.ts): `doteval list` answers from listing.json only when it provably says
 * what the catalog says — never a wrong row. A listing of an older catalog (a kill between the two
 * writes, a catalog changed by hand), a damaged listing, journals not yet checkpointed or runs still
 * open: the catalog is read instead, and the output is the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { layoutOf, listJournals, openStore, openStoreReader } from '../../runtime/src/store/index.js';
import { readListing } from '../../runtime/src/store/listing.js';
import { ensureBuilt, makeProject, numbersEval, runCli, startCli, waitFor } from '../cli/helpers.js';
import { runCommand, sample, start, tempDir } from './helpers.js';

/** Experiments with names a LIKE filter treats specially, several states, and evaluation counts. */
async function populated(store: string): Promise<void> {
	const writer = await openStore(store);
	const runs: [string, string, 'completed' | 'failed'][] = [
		['Baseline', 'evalA', 'completed'],
		['baseline_v2', 'evalA', 'completed'],
		['baseline_v2', 'evalB', 'failed'],
		['100% café', 'evalA', 'completed'],
		['20260101_120000_abcdef12', 'evalA', 'completed'],
	];
	for (const [experiment, name, status] of runs) {
		const ev = await writer.beginEvaluation(start(experiment, name));
		for (let i = 0; i < 5; i++) ev.recordSample(sample(i, { pass: i % 2 === 0 }));
		await ev.finish(status);
	}
	await writer.close();
}

async function fromCatalog(store: string, filter?: string) {
	const reader = await openStoreReader(store);
	try {
		return await reader.listExperiments(filter);
	} finally {
		await reader.close();
	}
}

test('list answers from the listing with exactly the rows and order the catalog gives, with and without a name filter', async (t) => {
	const store = path.join(tempDir(t), '.doteval');
	await populated(store);
	const layout = layoutOf(store);
	for (const filter of [undefined, '', 'baseline', 'BASELINE', 'v2', '_', '%', '% C', 'é', 'É', 'nothing']) {
		const listed = readListing(layout, filter);
		assert.ok(listed, `the listing is used (filter ${filter})`);
		assert.deepEqual(listed, await fromCatalog(store, filter), `filter ${JSON.stringify(filter)}`);
	}
	assert.equal(readListing(layout)!.length, 4);
	assert.equal(readListing(layout)!.find((e) => e.name === 'baseline_v2')!.status, 'failed');
	// A rename and a delete write the catalog, and the listing with it.
	const writer = await openStore(store);
	await writer.renameExperiment('Baseline', 'first');
	await writer.deleteExperiment('100% café');
	await writer.close();
	assert.deepEqual(
		readListing(layout)!.map((e) => e.name),
		(await fromCatalog(store)).map((e) => e.name),
	);
	assert.ok(readListing(layout)!.some((e) => e.name === 'first') && !readListing(layout)!.some((e) => e.name.includes('café')));
});

test('a listing written for an older catalog is not used: a kill between the two writes, a catalog changed by hand', async (t) => {
	const store = path.join(tempDir(t), '.doteval');
	await populated(store);
	const layout = layoutOf(store);
	const old = path.join(path.dirname(store), 'listing.old');
	copyFileSync(layout.listing, old);
	const writer = await openStore(store);
	const ev = await writer.beginEvaluation(start('later', 'evalA'));
	ev.recordSample(sample(0));
	await ev.finish('completed');
	await writer.close();
	// As if the checkpoint had been killed after replacing the catalog, before replacing the listing.
	copyFileSync(old, layout.listing);
	assert.equal(readListing(layout), undefined);
	const listed = await runCommand('list', ['--json', '--storage', store], { cwd: path.dirname(store) });
	assert.equal(listed.code, 0, listed.stderr);
	assert.ok(
		(JSON.parse(listed.stdout) as { experiments: { name: string }[] }).experiments.some((e) => e.name === 'later'),
		'list reads the catalog',
	);

	// The catalog changed by another program (as sqlite3 would: its header keeps the old checksum).
	const writer2 = await openStore(store);
	await writer2.checkpoint();
	await writer2.close();
	assert.ok(readListing(layout), 'a checkpoint writes a fresh listing');
	const SQL = await initSqlJs();
	const db = new SQL.Database(readFileSync(layout.catalog));
	db.run(`UPDATE experiments SET name = 'by hand' WHERE name = 'later'`);
	const image = db.export();
	db.close();
	image.set(readFileSync(layout.catalog).subarray(68, 72), 68); // the old checksum, now wrong
	writeFileSync(layout.catalog, image);
	assert.equal(readListing(layout), undefined);
	const names = (await fromCatalog(store)).map((e) => e.name);
	assert.ok(names.includes('by hand') && !names.includes('later'));
});

test('a damaged, truncated, empty or foreign listing is not used, and list still shows the catalog', async (t) => {
	const store = path.join(tempDir(t), '.doteval');
	await populated(store);
	const layout = layoutOf(store);
	const good = readFileSync(layout.listing, 'utf8');
	const expected = await fromCatalog(store);
	const damaged: Record<string, string> = {
		'a changed count': good.replace(/,1,0,0,0\]/, ',7,0,0,0]'),
		'a changed name': good.replace('baseline_v2', 'baseline_v3'),
		truncated: good.slice(0, good.length - 20),
		'rows missing': good.slice(0, good.indexOf('\n') + 1),
		empty: '',
		garbage: '\u0000\u0001 not json\n[[]]\n',
		'another format': good.replace('"format":1', '"format":2'),
	};
	for (const [what, text] of Object.entries(damaged)) {
		assert.notEqual(text, good, what);
		writeFileSync(layout.listing, text);
		assert.equal(readListing(layout), undefined, what);
		const listed = await runCommand('list', ['--json', '--storage', store], { cwd: path.dirname(store) });
		assert.equal(listed.code, 0, listed.stderr);
		assert.deepEqual((JSON.parse(listed.stdout) as { experiments: unknown }).experiments, JSON.parse(JSON.stringify(expected)), what);
	}
	writeFileSync(layout.listing, good);
	truncateSync(layout.catalog, 4096); // the catalog itself damaged: refused by the checksum, then by the reader
	assert.equal(readListing(layout), undefined);
	rmSync(layout.listing);
	assert.equal(readListing(layout), undefined, 'no listing');
});

test('while journals hold records the catalog does not, or a run is open, list reads the catalog and its journals', async (t) => {
	const store = path.join(tempDir(t), '.doteval');
	await populated(store);
	const layout = layoutOf(store);
	const writer = await openStore(store, { checkpointMinBytes: 1, checkpointRatio: 0 });
	const ev = await writer.beginEvaluation(start('in progress', 'evalA'));
	assert.ok(listJournals(layout).length > 0);
	assert.equal(readListing(layout), undefined, 'a journal not yet checkpointed');
	ev.recordSample(sample(0)); // a checkpoint during the run: the catalog now has the open run, and no journal is left
	assert.equal(listJournals(layout).length, 0);
	assert.equal(readListing(layout), undefined, 'a run still open');
	const during = await fromCatalog(store);
	assert.equal(during.find((e) => e.name === 'in progress')?.status, 'running');
	await ev.finish('completed');
	await writer.close();
	assert.deepEqual(readListing(layout), await fromCatalog(store));
	assert.equal(readListing(layout)!.find((e) => e.name === 'in progress')?.status, 'completed');
});

test('the CLI lists from the listing without loading sql.js, and a run killed between the catalog and the listing loses nothing', async (t) => {
	ensureBuilt();
	const project = makeProject({ 'numbers.eval.ts': numbersEval('evalNumbers', 3, 1) });
	t.after(() => rmSync(project, { recursive: true, force: true }));
	const ran = await runCli(['run', 'numbers.eval.ts', '--experiment', 'first'], { cwd: project });
	assert.equal(ran.code, 0, ran.stderr);
	// With sql.js's wasm unavailable, only a list that never loads sql.js succeeds.
	const noWasm = { DOTEVAL_SQL_WASM: path.join(project, 'missing.wasm') };
	const listed = await runCli(['list', '--json'], { cwd: project, env: noWasm });
	assert.equal(listed.code, 0, listed.stderr);
	assert.deepEqual(
		(JSON.parse(listed.stdout) as { experiments: { name: string }[] }).experiments.map((e) => e.name),
		['first'],
	);

	// Killed after replacing the catalog, before the listing (the crash point waits there).
	const second = startCli(['run', 'numbers.eval.ts', '--experiment', 'second'], { cwd: project, env: { DOTEVAL_TEST_CRASH_POINT: '^listing\\.json$' } });
	let stderr = '';
	second.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	await waitFor(() => stderr.includes('crash point before replacing'), 120_000, 'the crash point');
	second.child.kill('SIGKILL');
	await second.done;
	const layout = layoutOf(path.join(project, '.doteval'));
	assert.equal(readListing(layout), undefined);
	const refused = await runCli(['list', '--json'], { cwd: project, env: noWasm });
	assert.equal(refused.code, 4, 'the listing is not trusted: list needs the catalog (and sql.js)');
	assert.match(refused.stderr, /DOTEVAL_SQL_WASM/);
	const after = await runCli(['list', '--json'], { cwd: project });
	assert.equal(after.code, 0, after.stderr);
	const experiments = (JSON.parse(after.stdout) as { experiments: { name: string; status: string }[] }).experiments;
	assert.deepEqual(experiments.map((e) => e.name).sort(), ['first', 'second']);
	// The next writer adopts the killed run's journal; then the listing is trusted again and agrees.
	const third = await runCli(['run', 'numbers.eval.ts', '--experiment', 'third'], { cwd: project });
	assert.equal(third.code, 0, third.stderr);
	const fast = await runCli(['list', '--json'], { cwd: project, env: noWasm });
	assert.equal(fast.code, 0, fast.stderr);
	assert.deepEqual(JSON.parse(fast.stdout).experiments, JSON.parse(JSON.stringify(await fromCatalog(layout.dir))));
	assert.deepEqual((JSON.parse(fast.stdout) as { experiments: { name: string }[] }).experiments.map((e) => e.name).sort(), ['first', 'second', 'third']);
});
