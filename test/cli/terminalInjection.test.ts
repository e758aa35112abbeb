// Hostile text from data (a model answer inside an error message, an error type, score and metric
// names, an experiment name) must never reach a terminal as control characters: run, show,
// show --errors/--full, list and diff, each under a real pty (util-linux `script`).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { printable, printableLines } from '../../runtime/src/cli/format/printable.ts';
import { cliPath, ensureBuilt, makeProject, runCli } from './helpers.ts';

before(ensureBuilt);

// Clear screen, retitle the window, a hidden hyperlink, overwrite the line, a one-byte CSI, a bidi override.
const hostile = '\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil.example\x07click\x1b]8;;\x07\r\x1b[K✓ all good\u009b31m\u202eevil';

const evalFile = `import { foreach, Result, Score } from 'doteval';
import { metric } from 'doteval/evaluators';
const hostile = ${JSON.stringify(hostile)};
const loud = metric('m' + hostile, (values) => values.length);
class Hostile extends Error { constructor(message) { super(message); this.name = 'Evil' + hostile; } }
export const evalHostile = foreach('text', ['ok', hostile])(({ text }) => {
	if (text !== 'ok') throw new Hostile('the model said: ' + hostile);
	return new Result(new Score('s' + hostile, 1, [loud]), { prompt: text, modelResponse: hostile });
});
`;

/** Runs the CLI under a pseudo-terminal, as a user at a terminal would; returns what the terminal received. */
function underPty(args: string[], cwd: string): { status: number | null; output: string } {
	const command = [process.execPath, cliPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
	const result = spawnSync('script', ['-qefc', command, '/dev/null'], {
		cwd,
		encoding: 'utf8',
		env: { ...process.env, DOTEVAL_STORAGE: '', DOTEVAL_LOG: '', NO_COLOR: '', TERM: 'xterm-256color' },
	});
	return { status: result.status, output: result.stdout };
}

/** Every ESC must start one of our own sequences: colours (SGR) or the live display's cursor-up / clear-down. */
function assertNoInjection(output: string, what: string): void {
	const foreign = output.replace(/\x1b\[[0-9;]*m/g, '').replace(/\x1b\[\d+A\x1b\[0J/g, '');
	assert.ok(
		!foreign.includes('\x1b'),
		`${what}: a raw ESC reached the terminal: ${JSON.stringify(foreign.slice(Math.max(0, foreign.indexOf('\x1b') - 40), foreign.indexOf('\x1b') + 40))}`,
	);
	assert.ok(!/\r(?!\n)/.test(foreign), `${what}: a bare carriage return reached the terminal`);
	assert.ok(!/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(foreign), `${what}: a control character reached the terminal`);
}

test('printable escapes every control character visibly and leaves ordinary text alone', () => {
	assert.equal(printable('naïve — ✓ 日本'), 'naïve — ✓ 日本');
	assert.equal(printable('a\x1b[2Jb'), 'a\\e[2Jb');
	assert.equal(printable('x\ry\nz\t\x07\x7f\u009b\u202e'), 'x\\ry\\nz\\t\\x07\\x7f\\x9b\\u202e');
	assert.equal(printableLines('line 1\n\tline 2\r\x1b[K'), 'line 1\n\tline 2\\r\\e[K');
});

test('run, show, show --errors, show --full, list and diff print hostile data escaped, under a real pty', async () => {
	const dir = makeProject({ 'eval_hostile.ts': evalFile });
	const experiment = 'x' + hostile;
	for (const name of [experiment, 'plain']) {
		const stored = await runCli(['run', '--experiment', name], { cwd: dir });
		assert.equal(stored.code, ExitCode.Ok, stored.stderr);
	}
	const run = underPty(['run', '--experiment', experiment], dir);
	assert.equal(run.status, 0, run.output);
	assert.match(run.output, /Evil\\e\[2J\\e\]0;pwned\\x07/, 'the error type is shown, escaped');
	assertNoInjection(run.output, 'run');
	for (const args of [['show', experiment], ['show', experiment, '--errors'], ['show', experiment, '--full'], ['list'], ['diff', 'plain', experiment]]) {
		const shown = underPty(args, dir);
		assert.equal(shown.status, 0, `${args.join(' ')}: ${shown.output}`);
		assert.match(shown.output, /\\e\[2J/, `${args.join(' ')} shows the hostile text as escapes`);
		assertNoInjection(shown.output, args.join(' '));
	}
	const errors = underPty(['show', experiment, '--errors'], dir).output;
	assert.match(errors, /the model said: \\e\[2J\\e\]0;pwned\\x07\\e\]8;;http:\/\/evil\.example\\x07click/);
	assert.match(errors, /\\r\\e\[K✓ all good\\x9b31m\\u202eevil/);
	// A message naming a missing experiment quotes the user's text too.
	const missing = underPty(['show', 'nope' + hostile], dir);
	assert.equal(missing.status, 1, missing.output);
	assertNoInjection(missing.output, 'show (unknown experiment)');
	assert.ok(path.isAbsolute(dir));
});
