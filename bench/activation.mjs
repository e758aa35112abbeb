// Extension activation: the extension logs "activated in N ms" to its output channel; the VS Code
// end-to-end run (`npm run test:e2e`, code-server) keeps those logs under test-results/e2e/logs/.
// We read them — this benchmark starts no editor — and say when they were written.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './lib/build.mjs';

const logsDir = path.join(repoRoot, 'test-results/e2e/logs');

function logFiles(dir) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		return e.isDirectory() ? logFiles(full) : e.name.endsWith('.log') ? [full] : [];
	});
}

export async function run(ctx) {
	const group = 'Extension';
	const name = 'activation time (the extension\'s "activated in N ms" log line)';
	const goal = { op: '<=', value: 100, on: 'figure', text: '≤ 100 ms (the e2e suite\'s goal)' };
	const found = [];
	let newest = 0;
	for (const file of logFiles(logsDir)) {
		for (const m of readFileSync(file, 'utf8').matchAll(/activated in (\d+(?:\.\d+)?) ?ms/g)) {
			found.push(Number(m[1]));
			newest = Math.max(newest, statSync(file).mtimeMs);
		}
	}
	if (!found.length) {
		return [ctx.notMeasured(group, name, 'not measured in this run: no e2e logs in test-results/e2e/logs (run `npm run test:e2e` first)', goal.text)];
	}
	return [ctx.row({
		group, name, figure: ctx.series(found, 'ms'), goal,
		note: `read from the e2e run's logs written ${new Date(newest).toISOString()} (${found.length} activations in code-server), not measured by this bench run`,
	})];
}
