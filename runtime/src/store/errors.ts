/** A store that cannot be opened or written: the CLI prints the message and exits with ExitCode.StoreError. */
export class StoreError extends Error {
	override name = 'StoreError';
}

/** The store refuses to resume (e.g. the dataset changed); the message says how to force it. */
export class StoreRefusal extends Error {
	override name = 'StoreRefusal';
}
