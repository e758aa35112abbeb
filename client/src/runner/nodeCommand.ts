/**
 * The Node.js that runs the CLI: `node` from PATH (the user's own, as in a terminal), else the editor's
 * own runtime (`process.execPath`; in desktop VS Code that is Electron, which acts as Node with
 * ELECTRON_RUN_AS_NODE=1). Pure apart from the injected environment and file check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface NodeCommand {
	command: string;
	env: Record<string, string>;
}

export function findNode(
	env: NodeJS.ProcessEnv = process.env,
	execPath: string = process.execPath,
	isFile: (p: string) => boolean = (p) => fs.existsSync(p) && fs.statSync(p).isFile(),
	platform: NodeJS.Platform = process.platform,
): NodeCommand {
	const names = platform === 'win32' ? ['node.exe'] : ['node'];
	const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
	for (const dir of dirs) {
		for (const name of names) {
			const candidate = path.join(dir, name);
			if (isFile(candidate)) return { command: candidate, env: {} };
		}
	}
	const isNode = /^node(\.exe)?$/i.test(path.basename(execPath));
	return { command: execPath, env: isNode ? {} : { ELECTRON_RUN_AS_NODE: '1' } };
}
