// Runs every unit and integration test (test/**/*.test.ts, not test/e2e) with Node's test runner,
// TypeScript loaded through tsx. Arguments filter test files by substring: `npm test -- store cli`.
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

function find(dir) {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return name === 'e2e' || name === 'fixtures' ? [] : find(full);
		return /\.test\.m?ts$/.test(name) ? [full] : [];
	});
}

const filters = process.argv.slice(2);
const files = find('test')
	.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
	.sort();
if (files.length === 0) {
	console.error(`no test files match ${filters.join(' ')}`);
	process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
