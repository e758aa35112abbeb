// The language server dies (a crash, an OOM kill): the extension starts a new one, and lenses keep
// following the file. The extension forks the server itself at activation; a restart must fork a new
// process, not hand the dead one to the language client again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openFile, readLogs, screenshot, startVSCode, waitFor } from './harness.mjs';
import { processesMentioning } from './processes.mjs';
import { runLens, waitForRunLens } from './fixtures.mjs';

const header = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

export const evalFirst = foreach('word', [['a']])(({ word }) => new Result(exactMatch(word, 'a')));
`;
const second = `
export const evalSecond = foreach('word', [['b']])(({ word }) => new Result(exactMatch(word, 'b')));
`;
let vscode;

before(async () => {
	vscode = await startVSCode({ name: 'serverrestart', files: { 'eval_restart.ts': header } });
});

after(async () => {
	await vscode?.stop();
});

/** The doteval language servers of this run (the extension is installed under its run directory). */
const servers = () => processesMentioning(path.join(vscode.runDir, 'ext')).filter((p) => p.cmdline.includes('dist/server.js'));

test('a killed language server is replaced, and the new one gives the lenses of a changed file', async () => {
	const { page } = vscode;
	await openFile(page, 'eval_restart.ts');
	await waitForRunLens(page);
	const [first] = await waitFor(() => (servers().length === 1 ? servers() : null), { timeout: 10_000, what: 'one language server' });

	process.kill(first.pid, 'SIGKILL');
	const replacement = await waitFor(() => servers().find((p) => p.pid !== first.pid), { timeout: 60_000, what: 'a new language server process' });
	assert.notEqual(replacement.pid, first.pid);
	const dotevalLog = () =>
		readLogs(vscode.runDir)
			.filter((l) => /doteval\.log$/.test(l.file))
			.map((l) => l.text)
			.join('\n');
	await waitFor(() => /the doteval language server exited \(SIGKILL\)/.test(dotevalLog()), { timeout: 10_000, what: 'the log line saying the server died' });

	// A second eval written to the open file: only a live server can give it a lens.
	writeFileSync(path.join(vscode.workspace, 'eval_restart.ts'), header + second);
	await waitFor(async () => ((await runLens(page).count()) === 2 ? true : null), {
		timeout: 60_000,
		what: 'a Run lens for each of the two evals, from the new server',
	});
	await screenshot(page, 'serverrestart-lenses');
});
