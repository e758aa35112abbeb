// A kill -9 while an eval file is being imported leaves its hidden bundle next to the source; the
// next run in that folder removes it (and leaves a live process's bundle alone).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, runCli, startCli, waitFor } from './helpers.ts';

before(ensureBuilt);

const bundles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.doteval.mjs'));

test("a bundle left by a killed load is removed by the next run; a live process's bundle stays", async () => {
	const dir = makeProject({
		'eval_slow_load.ts': `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
if (process.env.SLOW_LOAD) await new Promise((r) => setTimeout(r, 60_000));
export const evalSlow = foreach('n', [1])(({ n }) => new Result(exactMatch(n, 1)));
`,
	});
	const run = startCli(['run', '--experiment', 'k'], { cwd: dir, env: { SLOW_LOAD: '1' } });
	await waitFor(() => bundles(dir).length > 0, 30_000, 'the bundle to be written');
	run.child.kill('SIGKILL');
	await run.done;
	assert.equal(bundles(dir).length, 1, 'the kill left the bundle behind');
	const live = `.eval_other.ts.${process.pid}-0.doteval.mjs`; // this test process is alive
	writeFileSync(path.join(dir, live), 'export {};\n');
	const next = await runCli(['run', '--experiment', 'k'], { cwd: dir });
	assert.equal(next.code, ExitCode.Ok, next.stderr);
	assert.deepEqual(bundles(dir), [live]);
});
