// Files saved with a UTF-8 byte order mark (Excel's "CSV UTF-8", Notepad) read as if it were not there.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

const bom = '\ufeff';

const evalFile = (loader: string, file: string) => `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { ${loader} } from 'doteval/datasets';
export const evalBom = foreach('text,expected', ${loader}(new URL(${JSON.stringify(file)}, import.meta.url).pathname))(({ text, expected }) =>
	new Result(exactMatch(String(text).toUpperCase(), expected), { prompt: String(text) }));
`;

for (const [loader, file, content] of [
	['csv', 'data.csv', `${bom}text,expected\r\nab,AB\r\ncd,CD\r\n`],
	['jsonl', 'data.jsonl', `${bom}{"text":"ab","expected":"AB"}\n{"text":"cd","expected":"CD"}\n`],
	['json', 'data.json', `${bom}[{"text":"ab","expected":"AB"},{"text":"cd","expected":"CD"}]`],
] as const) {
	test(`${loader}(): a UTF-8 BOM is stripped, every row keeps its first column`, async () => {
		const dir = makeProject({ 'eval_bom.ts': evalFile(loader, file), [file]: content });
		const result = await runCli(['run', '--experiment', 'bom', '--reporter', 'jsonl'], { cwd: dir });
		assert.equal(result.code, ExitCode.Ok, result.stderr);
		const samples = parseEvents(result.stdout).flatMap((e) => (e.type === 'sample-end' ? [e] : []));
		assert.equal(samples.length, 2);
		for (const s of samples) {
			assert.equal(s.error, null, JSON.stringify(s.error));
			assert.equal(s.passed, true, JSON.stringify(s.row));
			assert.deepEqual(Object.keys(s.row), ['text', 'expected']);
		}
	});
}
