/**
 * What a Test Explorer run request really asks for. VS Code's "Rerun Failed Tests" includes the failed
 * samples AND their failed parent eval; running both would run the eval in full and its samples again
 * (twice the model calls, two experiments). The request is reduced to the smallest set of items it
 * names: an included item with an included descendant stands for that descendant only, and excluded
 * items (and everything under them) drop out. Pure and generic over the tree, so it is unit-tested
 * with plain objects.
 */

export interface TreeAccess<T> {
	parent(item: T): T | undefined;
}

/** The included items that are neither excluded (nor under an excluded item) nor an ancestor of another included item, each once. */
export function narrowestSelection<T>(included: readonly T[], excluded: readonly T[], tree: TreeAccess<T>): T[] {
	const excludedSet = new Set(excluded);
	const ancestors = (item: T): T[] => {
		const out: T[] = [];
		for (let p = tree.parent(item); p !== undefined; p = tree.parent(p)) out.push(p);
		return out;
	};
	const isExcluded = (item: T) => excludedSet.has(item) || ancestors(item).some((a) => excludedSet.has(a));
	const kept = [...new Set(included)].filter((item) => !isExcluded(item));
	const keptSet = new Set(kept);
	// An item that is an ancestor of another kept item is subsumed by the narrower one.
	const subsumed = new Set(kept.flatMap((item) => ancestors(item).filter((a) => keptSet.has(a))));
	return kept.filter((item) => !subsumed.has(item));
}

/**
 * Splits the narrowed selection into whole evals and per-eval sample lists (one CLI run each);
 * `sampleOf` returns the eval and index of a sample item, undefined for any other item.
 */
export function groupSamples<T, E>(
	items: readonly T[],
	sampleOf: (item: T) => { eval: E; index: number } | undefined,
): { others: T[]; samples: Map<E, number[]> } {
	const others: T[] = [];
	const samples = new Map<E, number[]>();
	for (const item of items) {
		const sample = sampleOf(item);
		if (!sample) {
			others.push(item);
			continue;
		}
		const list = samples.get(sample.eval) ?? [];
		if (!list.includes(sample.index)) list.push(sample.index);
		samples.set(
			sample.eval,
			list.sort((a, b) => a - b),
		);
	}
	return { others, samples };
}
