/** A store that cannot be opened or written: the CLI prints the message and exits with ExitCode.StoreError. */
export class StoreError extends Error {
	override name = 'StoreError';
}

/** The store refuses to resume (e.g. the dataset changed); the message says how to force it. */
export class StoreRefusal extends Error {
	override name = 'StoreRefusal';
}

/** No experiment of that name: the message lists the ones there are (the first 20). */
export class UnknownExperiment extends Error {
	override name = 'UnknownExperiment';
	constructor(
		readonly experiment: string,
		readonly existing: string[],
	) {
		super(
			`no experiment named '${experiment}'; ${existing.length ? `experiments: ${existing.slice(0, 20).join(', ')}${existing.length > 20 ? `, … (${existing.length} in all)` : ''}` : 'the store has no experiments yet'}`,
		);
	}
}
