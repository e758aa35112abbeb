/**
 * Command-line parsing on top of node:util's parseArgs (strict: an unknown option is an error),
 * turning its errors and bad values into UsageErrors that name the fix.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
	values: Record<string, string | boolean | undefined>;
	positionals: string[];
}

export function parseCommandArgs(command: string, argv: string[], options: OptionSpec): ParsedArgs {
	try {
		const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
		return { values: values as ParsedArgs['values'], positionals };
	} catch (error) {
		const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
		throw new UsageError(`doteval ${command}: ${message}`);
	}
}

/** A whole number ≥ min, or a UsageError naming the option and what it expects. */
export function parseIntegerOption(name: string, value: string | boolean | undefined, min: number): number | undefined {
	if (value === undefined) return undefined;
	const text = String(value).trim();
	const n = Number(text);
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
		throw new UsageError(`--${name} expects a whole number ≥ ${min}, got '${String(value)}'`);
	}
	return n;
}

/** `1,5,7` → {1,5,7} (0-based dataset indexes), or a UsageError. */
export function parseIndexList(name: string, value: string | boolean | undefined): Set<number> | undefined {
	if (value === undefined) return undefined;
	const parts = String(value)
		.split(',')
		.map((p) => p.trim())
		.filter((p) => p !== '');
	if (parts.length === 0) throw new UsageError(`--${name} expects comma-separated sample indexes such as 0,4,7`);
	return new Set(parts.map((p) => parseIntegerOption(name, p, 0)!));
}

export function parseChoice<T extends string>(name: string, value: string | boolean | undefined, choices: readonly T[]): T | undefined {
	if (value === undefined) return undefined;
	if (!choices.includes(value as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got '${String(value)}'`);
	return value as T;
}
