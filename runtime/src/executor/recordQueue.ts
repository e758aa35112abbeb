/**
 * Finished samples wait here to be recorded (their record built, added to the summary, handed to
 * `onSampleEnd`: the store's journal line, the event) until the event loop's next check phase. When
 * many samples end in one phase (their timers or sockets fire together), p-limit starts each one's
 * successor before any of them is recorded: the next model request goes out sooner, and the
 * recording runs in the time the run waits anyway. What is durable when does not change: a sample
 * counts as stored once `onSampleEnd` has written it, and a process killed before that runs it again
 * on resume, as it would a sample still in flight.
 */
export class RecordQueue<T> {
	private items: T[] = [];
	private queued = false;
	// Bound once: queuing allocates no closure per sample.
	private readonly later = () => {
		this.queued = false;
		this.flush();
	};

	constructor(private readonly record: (item: T) => void) {}

	push(item: T): void {
		this.items.push(item);
		if (!this.queued) {
			this.queued = true;
			setImmediate(this.later);
		}
	}

	/** Records every queued item now, in the order they finished (the run's end calls it before its outcome). */
	flush(): void {
		const items = this.items;
		this.items = [];
		for (const item of items) this.record(item);
	}
}
