/**
 * The language server's view of a store's last results (server/src/store/storeResults.ts), against a
 * real store: a read that fails while a run writes the store is tried again, so the lens does not
 * keep a stale (or no) result until the next change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openStore, openStoreReader } from '../../runtime/src/store/index';
import { StoreResults } from '../../server/src/store/storeResults';
import { sample, start, tempDir } from '../store/helpers';

const evalId = 'evals/sentiment.eval.ts::evalSentiment';

async function storeWith(t: Parameters<typeof tempDir>[0], experiment: string, samples: number): Promise<string> {
	const dir = path.join(tempDir(t), '.doteval');
	const store = await openStore(dir);
	const writer = await store.beginEvaluation(start(experiment, 'evalSentiment', { total: samples }));
	for (let i = 0; i < samples; i++) writer.recordSample(sample(i, { pass: i % 2 === 0 }));
	await writer.finish('completed');
	await store.close();
	return dir;
}

function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	return new Promise((resolve, reject) => {
		const poll = () => {
			if (condition()) return resolve();
			if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
			setTimeout(poll, 20);
		};
		poll();
	});
}

test('a reload that fails is tried again, and the change is announced when the read lands', async (t) => {
	const dir = await storeWith(t, 'first', 4);
	let failNext = false;
	const changes: string[] = [];
	const log: string[] = [];
	const results = new StoreResults(
		async (storePath) => {
			if (failNext) {
				failNext = false;
				throw new Error('the store was being replaced');
			}
			return openStoreReader(storePath);
		},
		(storePath) => changes.push(storePath),
		(message) => log.push(message),
	);
	t.after(() => results.dispose());
	await results.ensure(dir);
	assert.equal((await results.latest(dir, evalId))?.experiment, 'first');

	// A second run lands, and the reload it causes fails once.
	const store = await openStore(dir);
	const writer = await store.beginEvaluation(start('second', 'evalSentiment', { total: 6 }));
	for (let i = 0; i < 6; i++) writer.recordSample(sample(i, { pass: true }));
	await writer.finish('completed');
	await store.close();
	failNext = true;
	const before = changes.length;
	results.invalidate(dir);
	await until(() => log.some((m) => m.includes('the store was being replaced')), 'the failed read to be logged');
	await until(() => changes.length >= before + 2, 'the retried read to be announced');
	const latest = await results.latest(dir, evalId);
	assert.equal(latest?.experiment, 'second', 'the retry read the new run');
	assert.equal(latest?.passed, 6);
});
