/**
 * Which doteval CLI runs an eval file: the runtime the file itself imports (Node resolution of
 * `doteval/package.json` from the file's folder → its `bin`), else the copy bundled with the extension.
 * No `vscode` import: file system access is injected so tests can describe any layout.
 */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type RuntimeSource = 'setting' | 'workspace' | 'bundled';

export interface ResolvedRuntime {
	/** Absolute path of the CLI script to run with node. */
	cli: string;
	source: RuntimeSource;
	/** Version from the runtime's package.json, when known. */
	version: string | null;
	/** Extra environment the CLI needs (the bundled copy: where its sql.js wasm is). */
	env: Record<string, string>;
}

export interface RuntimeFs {
	exists(p: string): boolean;
	readJson(p: string): unknown;
	/** Node resolution of `request` from `fromDir`; throws when not found. */
	resolve(request: string, fromDir: string): string;
}

export const nodeRuntimeFs: RuntimeFs = {
	exists: (p) => fs.existsSync(p),
	readJson: (p) => JSON.parse(fs.readFileSync(p, 'utf8')),
	resolve: (request, fromDir) => createRequire(path.join(fromDir, '__doteval_resolve__.js')).resolve(request),
};

/** A runtime that cannot be used, with the fix in the message. */
export class RuntimeNotFoundError extends Error {
	override name = 'RuntimeNotFoundError';
}

function binOf(pkg: unknown): string | undefined {
	const bin = (pkg as { bin?: unknown })?.bin;
	if (typeof bin === 'string') return bin;
	if (bin && typeof bin === 'object' && typeof (bin as Record<string, unknown>).doteval === 'string') return (bin as Record<string, string>).doteval;
	return undefined;
}

/** `runtimePath` may name the package folder, its package.json or the CLI script itself. */
function fromSetting(setting: string, baseDir: string, fsx: RuntimeFs): ResolvedRuntime {
	const target = path.resolve(baseDir, setting);
	const pkgFile = target.endsWith('package.json') ? target : path.join(target, 'package.json');
	if (fsx.exists(pkgFile)) {
		const pkg = fsx.readJson(pkgFile) as { version?: string };
		const bin = binOf(pkg);
		if (!bin) throw new RuntimeNotFoundError(`"doteval.runtimePath" points at ${pkgFile}, which has no "bin" entry for doteval.`);
		return { cli: path.resolve(path.dirname(pkgFile), bin), source: 'setting', version: pkg.version ?? null, env: {} };
	}
	if (fsx.exists(target)) return { cli: target, source: 'setting', version: null, env: {} };
	throw new RuntimeNotFoundError(`"doteval.runtimePath" is set to ${setting}, but ${target} does not exist. Fix or clear the setting.`);
}

/** The bundled dist/runtime/cli.js finds sql.js's wasm at dist/sql-wasm.wasm (its compiler, esbuild-wasm, sits in dist/runtime/node_modules). */
export function bundledEnv(bundledCli: string): Record<string, string> {
	return { DOTEVAL_SQL_WASM: path.join(path.dirname(path.dirname(bundledCli)), 'sql-wasm.wasm') };
}

export interface ResolveOptions {
	/** The eval file (or folder) about to run. */
	target: string;
	/** The `doteval.runtimePath` setting, '' when unset. */
	runtimePath: string;
	/** Folder relative settings are resolved against (the workspace folder). */
	baseDir: string;
	/** `<extension>/dist/runtime/cli.js`. */
	bundledCli: string;
	bundledVersion: string | null;
}

export function resolveRuntime(options: ResolveOptions, fsx: RuntimeFs = nodeRuntimeFs): ResolvedRuntime {
	if (options.runtimePath) return fromSetting(options.runtimePath, options.baseDir, fsx);
	const fromDir = fsx.exists(options.target) && !/\.[cm]?[jt]s$/.test(options.target) ? options.target : path.dirname(options.target);
	try {
		const pkgFile = fsx.resolve('doteval/package.json', fromDir);
		const pkg = fsx.readJson(pkgFile) as { version?: string };
		const bin = binOf(pkg);
		if (bin) {
			const cli = path.resolve(path.dirname(pkgFile), bin);
			if (fsx.exists(cli)) return { cli, source: 'workspace', version: pkg.version ?? null, env: {} };
		}
	} catch {
		// not installed in the workspace: fall back to the bundled copy below.
	}
	if (fsx.exists(options.bundledCli))
		return { cli: options.bundledCli, source: 'bundled', version: options.bundledVersion, env: bundledEnv(options.bundledCli) };
	throw new RuntimeNotFoundError('No doteval runtime found: install it in your project (npm install doteval) or set "doteval.runtimePath".');
}
