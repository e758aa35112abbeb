/** The commit checked out in the folder's git repository, read from .git without spawning git. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

function gitDir(start: string): string | null {
	for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
		const candidate = path.join(dir, '.git');
		if (existsSync(candidate)) {
			if (statSync(candidate).isDirectory()) return candidate;
			// a worktree or submodule: ".git" is a file "gitdir: <path>"
			const match = /^gitdir:\s*(.+)$/m.exec(readFileSync(candidate, 'utf8'));
			return match ? path.resolve(dir, match[1]!.trim()) : null;
		}
		if (path.dirname(dir) === dir) return null;
	}
}

export function gitCommit(cwd: string): string | null {
	try {
		const dir = gitDir(cwd);
		if (!dir) return null;
		const head = readFileSync(path.join(dir, 'HEAD'), 'utf8').trim();
		if (!head.startsWith('ref:')) return /^[0-9a-f]{40}$/.test(head) ? head : null;
		const ref = head.slice(4).trim();
		const commonDir = existsSync(path.join(dir, 'commondir')) ? path.resolve(dir, readFileSync(path.join(dir, 'commondir'), 'utf8').trim()) : dir;
		for (const base of [dir, commonDir]) {
			const file = path.join(base, ref);
			if (existsSync(file)) return readFileSync(file, 'utf8').trim();
		}
		const packed = path.join(commonDir, 'packed-refs');
		if (existsSync(packed)) {
			const line = readFileSync(packed, 'utf8')
				.split('\n')
				.find((l) => l.endsWith(' ' + ref));
			if (line) return line.slice(0, 40);
		}
		return null; // a branch without commits yet
	} catch {
		return null;
	}
}
