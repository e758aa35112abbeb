// Reads what code-server and the extension host wrote into the run directory: code-server's own log
// and every VS Code log file (extension host, output channels such as the extension's "doteval").
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

function logFiles(dir) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		const stat = statSync(full, { throwIfNoEntry: false });
		if (!stat) return [];
		if (stat.isDirectory()) return name === 'ws' || name === 'chrome' || name === 'ext' ? [] : logFiles(full);
		return name.endsWith('.log') ? [full] : [];
	});
}

/** Every .log file under the run directory (except the workspace), as { file, text }. */
export function readLogs(runDir) {
	return logFiles(runDir).map((file) => ({ file: path.relative(runDir, file), text: readFileSync(file, 'utf8') }));
}

/** The extension's own `activated in N ms` line (written to its output channel), as a number. */
export function activationTime(runDir) {
	for (const { text } of readLogs(runDir)) {
		const match = /activated in (\d+(?:\.\d+)?) ?ms/.exec(text);
		if (match) return Number(match[1]);
	}
	return null;
}

export function codeServerLogTail(file, lines = 40) {
	if (!existsSync(file)) return `(no ${file})`;
	const all = readFileSync(file, 'utf8').trimEnd().split('\n');
	return `--- last ${Math.min(lines, all.length)} lines of ${file} ---\n${all.slice(-lines).join('\n')}`;
}
