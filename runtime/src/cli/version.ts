/** The runtime's version, read from its package.json (found from this module, built or not). */
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function runtimeVersion(): string {
	if (cached) return cached;
	for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
		const file = path.join(dir, 'package.json');
		if (existsSync(file)) {
			const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
			if (pkg.name === 'doteval' && pkg.version) return (cached = pkg.version);
		}
		if (path.dirname(dir) === dir) return (cached = '0.0.0-unknown');
	}
}
