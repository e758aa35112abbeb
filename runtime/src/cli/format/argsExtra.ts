/** Small additions to the CLI's argument parsing for the store commands. */
import { UsageError } from '../command.js';
export { parseCommandArgs } from '../args.js';

/** The first positional, or a UsageError naming what is missing. */
export function requirePositional(positionals: string[], what: string, at = 0): string {
	const value = positionals[at];
	if (value === undefined || value === '') throw new UsageError(`missing ${what}`);
	return value;
}

/** No more positionals than expected. */
export function noExtra(positionals: string[], expected: number, command: string): void {
	if (positionals.length > expected) throw new UsageError(`doteval ${command}: unexpected argument '${positionals[expected]}'`);
}
