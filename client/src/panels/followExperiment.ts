/**
 * Panels follow an experiment by its identity, not its name: a rename (from the Experiments view or
 * `doteval rename` in a terminal) keeps the experiment's creation time, so a panel whose name is gone
 * finds the experiment created at the same moment and takes its new name. Pure.
 */
import type { ExperimentInfo } from '../../../runtime/src/store/types.js';

export type ExperimentIdentity = Pick<ExperimentInfo, 'name' | 'createdAt'>;

export type Followed = { kind: 'same' } | { kind: 'renamed'; name: string } | { kind: 'gone' };

/** What became of `followed` in the store's current list of experiments. */
export function followExperiment(followed: ExperimentIdentity, experiments: readonly ExperimentIdentity[]): Followed {
	if (experiments.some((e) => e.name === followed.name)) return { kind: 'same' };
	const sameBirth = experiments.filter((e) => e.createdAt === followed.createdAt);
	// Two experiments born in the same millisecond cannot be told apart: do not guess.
	return sameBirth.length === 1 ? { kind: 'renamed', name: sameBirth[0]!.name } : { kind: 'gone' };
}

/** The identities of `names` in the store's list (names it does not know are left out). */
export function identitiesOf(names: readonly string[], experiments: readonly ExperimentIdentity[]): ExperimentIdentity[] {
	return names.flatMap((name) => experiments.filter((e) => e.name === name).map((e) => ({ name: e.name, createdAt: e.createdAt })));
}

/** The new names of `followed` after renames, or undefined when none of them was renamed. */
export function renamedNames(followed: readonly ExperimentIdentity[], experiments: readonly ExperimentIdentity[]): Map<string, string> | undefined {
	const renames = new Map<string, string>();
	for (const identity of followed) {
		const result = followExperiment(identity, experiments);
		if (result.kind === 'renamed') renames.set(identity.name, result.name);
	}
	return renames.size ? renames : undefined;
}
