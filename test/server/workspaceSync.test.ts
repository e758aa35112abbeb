import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EvalIndex } from '../../server/src/workspace/evalIndex';
import { WorkspaceSync } from '../../server/src/workspace/workspaceSync';
import { writeCorpus } from './corpus';

test('a scan replaced by a newer one settles only when the index is complete', async () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'doteval-sync-'));
	try {
		writeCorpus(dir, 120);
		const changed: string[] = [];
		const index = new EvalIndex((file) => changed.push(file));
		let scansDone = 0;
		const sync = new WorkspaceSync(
			index,
			() => false,
			() => scansDone++,
		);
		sync.configure([dir], ['**/*.eval.ts']);
		const first = sync.rescan();
		const second = sync.rescan(); // e.g. a settings change or a poll tick during the first scan
		await first;
		assert.equal(index.filesWithEvals().length, 120, 'waiting for the first scan gives the whole index');
		await second;
		assert.equal(scansDone, 1, 'the replaced scan stopped early; only the newest one finished');
		assert.equal(new Set(changed).size, 120);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
