/**
 * A virtualized, paged table: a spacer as tall as every row would be, and only the visible rows
 * (plus overscan) in the DOM, positioned by their index × a fixed row height. Rows arrive from the
 * host a page at a time; a bounded page cache keeps memory flat at 100,000 samples.
 */
import type { SampleRowView } from '../panels/messages.js';
import { pagesForRange, pagesToEvict, sampleKey, visibleRange } from '../panels/resultsData.js';
import { renderRow } from './resultsRender.js';

export const ROW_HEIGHT = 26;
const OVERSCAN = 15;
const MAX_CACHED_PAGES = 20;

export interface VirtualTableOptions {
	pageSize: number;
	requestPage(queryId: number, offset: number, limit: number): void;
	/** A row was selected: the sample `index` (its `trial`, when trials run) at `position` of the query. */
	onSelect(index: number, position: number, trial: number | undefined): void;
	/** After rows of the current query have been drawn for the first time. */
	onRendered(): void;
}

export class VirtualTable {
	readonly scroller: HTMLElement;
	private readonly spacer: HTMLElement;
	private total = 0;
	private queryId = 0;
	private pages = new Map</* page */ number, SampleRowView[]>();
	/** Pages of the previous query version, shown until fresh ones arrive (no flicker on live updates). */
	private stale = new Map<number, SampleRowView[]>();
	private readonly pending = new Set<number>();
	/** The selected sample (sampleKey: a row's trials are different samples). */
	private selected: string | undefined;
	/** Trials per row (k) when the evaluation runs trials: rows get a trial cell. */
	private trialsPerRow: number | undefined;
	private frame = 0;
	private lastKey = '';
	private pageSize: number;

	constructor(private readonly options: VirtualTableOptions) {
		this.pageSize = options.pageSize;
		this.scroller = document.createElement('div');
		this.scroller.className = 'results-scroll';
		this.scroller.tabIndex = 0;
		this.spacer = document.createElement('div');
		this.spacer.id = 'results-table';
		this.spacer.setAttribute('role', 'rowgroup');
		this.scroller.appendChild(this.spacer);
		this.scroller.addEventListener('scroll', () => this.schedule());
		new ResizeObserver(() => this.schedule()).observe(this.scroller);
		this.spacer.addEventListener('click', (event) => {
			const row = (event.target as HTMLElement).closest<HTMLElement>('.results-row[data-index]');
			if (row) this.select(Number(row.dataset.index), Number(row.dataset.position), Number(row.dataset.trial ?? 0) || undefined);
		});
		this.scroller.addEventListener('keydown', (event) => this.onKey(event));
	}

	/** Shows (k > 1) or hides the trial column. */
	set trials(k: number | undefined) {
		if (k === this.trialsPerRow) return;
		this.trialsPerRow = k;
		this.lastKey = '';
		this.draw();
	}

	get currentQueryId(): number {
		return this.queryId;
	}

	/** A new query (filter or search changed): forget every row, go back to the top. */
	reset(pageSize = this.pageSize): number {
		this.pageSize = pageSize;
		this.queryId++;
		this.pages.clear();
		this.stale.clear();
		this.pending.clear();
		this.total = 0;
		this.selected = undefined;
		this.scroller.scrollTop = 0;
		this.requestPages([0]);
		return this.queryId;
	}

	/** Same query, new data (live run): re-request what is visible, keep showing the old rows meanwhile. */
	refresh(): void {
		this.queryId++;
		this.stale = new Map([...this.stale, ...this.pages]);
		this.pages.clear();
		this.pending.clear();
		this.lastKey = '';
		this.draw();
		// Nothing was shown yet (the evaluation had no samples): ask for the first page anyway.
		if (this.total === 0) this.requestPages([0]);
	}

	receive(queryId: number, offset: number, total: number, rows: SampleRowView[]): void {
		if (queryId !== this.queryId) return;
		const page = Math.floor(offset / this.pageSize);
		this.pending.delete(page);
		this.pages.set(page, rows);
		this.stale.delete(page);
		this.total = total;
		this.lastKey = '';
		this.draw();
		this.options.onRendered();
	}

	get rowCount(): number {
		return this.total;
	}

	private schedule(): void {
		if (!this.frame)
			this.frame = requestAnimationFrame(() => {
				this.frame = 0;
				this.draw();
			});
	}

	private draw(): void {
		this.spacer.style.height = `${this.total * ROW_HEIGHT}px`;
		const { start, end } = visibleRange(this.scroller.scrollTop, this.scroller.clientHeight, ROW_HEIGHT, this.total, OVERSCAN);
		const needed = pagesForRange(start, end, this.pageSize);
		this.requestPages(needed);
		for (const page of pagesToEvict([...this.pages.keys()], needed, MAX_CACHED_PAGES)) this.pages.delete(page);
		for (const page of pagesToEvict([...this.stale.keys()], needed, 0)) this.stale.delete(page);

		const key = `${start}:${end}:${this.selected}:${this.trialsPerRow}`;
		if (key === this.lastKey) return;
		this.lastKey = key;
		const rows = document.createDocumentFragment();
		for (let position = start; position < end; position++) {
			const row = this.rowAt(position);
			const selected = row !== undefined && sampleKey(row.index, row.trial) === this.selected;
			const element = renderRow(document, row, position, selected, this.trialsPerRow);
			element.style.top = `${position * ROW_HEIGHT}px`;
			rows.appendChild(element);
		}
		this.spacer.replaceChildren(rows);
	}

	private rowAt(position: number): SampleRowView | undefined {
		const page = Math.floor(position / this.pageSize);
		return (this.pages.get(page) ?? this.stale.get(page))?.[position % this.pageSize];
	}

	private requestPages(pages: number[]): void {
		for (const page of pages) {
			if (this.pages.has(page) || this.pending.has(page)) continue;
			this.pending.add(page);
			this.options.requestPage(this.queryId, page * this.pageSize, this.pageSize);
		}
	}

	/** Marks the row of sample `index` (its `trial`, at `position` of the query) as selected and reports it. */
	select(index: number, position: number, trial?: number): void {
		this.selected = sampleKey(index, trial);
		this.lastKey = '';
		this.draw();
		this.options.onSelect(index, position, trial);
	}

	private onKey(event: KeyboardEvent): void {
		if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
		event.preventDefault();
		const current = this.spacer.querySelector<HTMLElement>('.results-row.selected');
		const position = current ? Number(current.dataset.position) + (event.key === 'ArrowDown' ? 1 : -1) : 0;
		if (position < 0 || position >= this.total) return;
		const top = position * ROW_HEIGHT;
		if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
		else if (top + ROW_HEIGHT > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = top + ROW_HEIGHT - this.scroller.clientHeight;
		const row = this.rowAt(position);
		if (row) this.select(row.index, position, row.trial);
	}
}
