/**
 * The host side of the results panel without `vscode`: answers the webview's page and detail
 * requests from the store reader. `ResultsPanel` only wires it to a real webview, so this logic is
 * tested in plain Node with a fake reader.
 */
import type { SampleInfo, StoreReader } from '../../../runtime/src/store/types.js';
import type { ResultsHeader, ResultsHostMessage, ResultsWebviewMessage } from './messages.js';
import { sampleKey, toDetailView, toResultsHeader, toRowView } from './resultsData.js';

/** Rows per page request; a 100,000-sample evaluation is read 200 rows at a time. */
export const PAGE_SIZE = 200;
/** Pages the webview may ask for at once; a bigger request is clamped rather than trusted. */
const MAX_LIMIT = PAGE_SIZE * 5;
/** Full samples kept from recent pages so selecting a visible row needs no extra query. */
const DETAIL_CACHE = 2 * MAX_LIMIT;

export interface ResultsTarget {
	experiment: string;
	evalId: string;
}

export class ResultsController {
	private readonly recent = new Map</* sampleKey */ string, SampleInfo>();

	constructor(
		private reader: StoreReader,
		readonly target: ResultsTarget,
		private readonly post: (message: ResultsHostMessage) => void,
		private readonly onOpenTiming: (target: ResultsTarget) => void = () => {},
	) {}

	async handle(message: ResultsWebviewMessage): Promise<void> {
		try {
			switch (message.type) {
				case 'ready':
					this.post({
						type: 'init',
						header: await this.header(),
						pageSize: PAGE_SIZE,
						restore: { panel: 'results', storePath: this.reader.path, ...this.target },
					});
					return;
				case 'page':
					await this.page(message);
					return;
				case 'detail':
					await this.detail(message);
					return;
				case 'openTiming':
					this.onOpenTiming(this.target);
					return;
			}
		} catch (error) {
			this.post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
		}
	}

	/** The store changed (a live run wrote samples, or the file was reloaded): tell the webview. */
	async changed(reader: StoreReader = this.reader): Promise<void> {
		this.reader = reader;
		this.recent.clear();
		try {
			this.post({ type: 'changed', header: await this.header() });
		} catch (error) {
			this.post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
		}
	}

	private async header(): Promise<ResultsHeader> {
		const evaluation = await this.reader.getEvaluation(this.target.experiment, this.target.evalId);
		if (!evaluation) {
			throw new Error(
				`No evaluation '${this.target.evalId}' in experiment '${this.target.experiment}'. Run it first, or pick another one in the history view.`,
			);
		}
		return toResultsHeader(evaluation);
	}

	private async page(request: Extract<ResultsWebviewMessage, { type: 'page' }>): Promise<void> {
		const offset = Math.max(0, Math.floor(request.offset));
		const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(request.limit)));
		const result = await this.reader.samples(this.target.experiment, this.target.evalId, {
			offset,
			limit,
			filter: request.filter,
			search: request.search || undefined,
		});
		for (const sample of result.samples) this.remember(sample);
		this.post({ type: 'page', queryId: request.queryId, offset, total: result.total, rows: result.samples.map(toRowView) });
	}

	private async detail(request: Extract<ResultsWebviewMessage, { type: 'detail' }>): Promise<void> {
		let sample = this.recent.get(sampleKey(request.index, request.trial));
		if (!sample) {
			const found = (
				await this.reader.samples(this.target.experiment, this.target.evalId, {
					offset: Math.max(0, request.position),
					limit: 1,
					filter: request.filter,
					search: request.search || undefined,
				})
			).samples[0];
			if (found && sampleKey(found.index, found.trial) === sampleKey(request.index, request.trial)) sample = found;
		}
		if (!sample) {
			const which = request.trial ? `Sample ${request.index} (trial ${request.trial})` : `Sample ${request.index}`;
			throw new Error(`${which} is no longer in this view; the results changed. Scroll to reload them.`);
		}
		this.post({ type: 'detail', sample: toDetailView(sample) });
	}

	private remember(sample: SampleInfo): void {
		const key = sampleKey(sample.index, sample.trial);
		this.recent.delete(key);
		this.recent.set(key, sample);
		if (this.recent.size > DETAIL_CACHE) this.recent.delete(this.recent.keys().next().value as string);
	}
}
