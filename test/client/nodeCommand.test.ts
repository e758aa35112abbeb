import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { findNode } from '../../client/src/runner/nodeCommand';

test('node on PATH wins, first match in PATH order', () => {
	const files = new Set(['/opt/node20/bin/node', '/usr/bin/node']);
	assert.deepEqual(
		findNode({ PATH: '/nope:/opt/node20/bin:/usr/bin' }, '/app/code', (p) => files.has(p), 'linux'),
		{ command: '/opt/node20/bin/node', env: {} },
	);
});

test('without node on PATH the editor runtime runs the CLI, as Node when it is Electron', () => {
	assert.deepEqual(
		findNode({ PATH: '/bin' }, '/Applications/Code.app/Contents/MacOS/Electron', () => false, 'darwin'),
		{ command: '/Applications/Code.app/Contents/MacOS/Electron', env: { ELECTRON_RUN_AS_NODE: '1' } },
	);
	assert.deepEqual(
		findNode({}, '/usr/lib/code-server/lib/node', () => false, 'linux'),
		{ command: '/usr/lib/code-server/lib/node', env: {} },
	);
});

test('Windows looks for node.exe in the ;-separated Path', () => {
	const nodeExe = path.join('C:\\nodejs', 'node.exe');
	const found = findNode({ Path: 'C:\\Windows;C:\\nodejs' }, 'C:\\Code\\Code.exe', (p) => p === nodeExe, 'win32');
	assert.deepEqual(found, { command: nodeExe, env: {} });
});
