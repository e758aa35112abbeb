/**
 * Browser entry of the results panel (→ dist/webview/results.js): toolbar (filters, search), the
 * virtualized sample table and the detail view. Data only ever arrives from the host by message.
 */
import type { PanelRestoreState, ResultsHeader, ResultsHostMessage, ResultsWebviewMessage, SampleFilter } from '../panels/messages.js';
import { h } from './dom.js';
import { renderColumnHeader, renderDetail, renderHeader } from './resultsRender.js';
import { connectToHost } from './vscodeApi.js';
import { VirtualTable } from './virtualTable.js';
import { emptyStateText } from '../panels/resultsData.js';

const SEARCH_DEBOUNCE_MS = 250;

/** The view of one evaluation, kept while the panel is hidden (VS Code reloads hidden webviews). */
interface SavedState {
	key: string;
	filter: SampleFilter;
	search: string;
	scrollTop?: number;
	selected?: { index: number; position: number; trial?: number };
	/** For VS Code's panel serializer: which store and evaluation to reopen after a restart. */
	restore?: PanelRestoreState;
}
const filters: { id: SampleFilter; label: string }[] = [
	{ id: 'all', label: 'All' },
	{ id: 'failed', label: 'Failed' },
	{ id: 'errored', label: 'Errored' },
];

const host = connectToHost<ResultsWebviewMessage, ResultsHostMessage>();
const root = document.getElementById('results-root') as HTMLElement;
let filter: SampleFilter = 'all';
let search = '';
let pageSize = 200;
let stateKey = '';
let restoreState: PanelRestoreState | undefined;
let selected: SavedState['selected'];
/** Trials per row of the evaluation shown (k > 1: a trial column and trial-aware headings). */
let trials: number | undefined;
/** Scroll position and selection to put back once the first page of a restored view is in. */
let pendingView: Pick<SavedState, 'scrollTop' | 'selected'> | undefined;

const headerSlot = h(document, 'div', { id: 'results-header' });
const count = h(document, 'span', { id: 'results-count', class: 'muted' });
const searchBox = h(document, 'input', {
	id: 'results-search',
	type: 'search',
	placeholder: 'Search rows, prompts, responses, errors',
	'aria-label': 'Search samples',
}) as HTMLInputElement;
const filterButtons = filters.map(({ id, label }) =>
	h(document, 'button', { type: 'button', 'data-filter': id, 'aria-pressed': id === filter ? 'true' : 'false' }, label),
);
const timingButton = h(document, 'button', { type: 'button', id: 'open-timing', class: 'secondary' }, 'Timing');
const errorBox = h(document, 'div', { id: 'results-error', class: 'error', role: 'alert', hidden: true });
const detail = h(document, 'aside', { id: 'sample-detail', hidden: true, 'aria-label': 'Sample detail' });
const emptyState = h(document, 'p', { id: 'results-empty', class: 'muted', hidden: true });

const table = new VirtualTable({
	pageSize,
	requestPage: (queryId, offset, limit) => host.post({ type: 'page', queryId, offset, limit, filter, search }),
	onSelect: (index, position, trial) => {
		selected = { index, position, ...(trial ? { trial } : {}) };
		saveState();
		host.post({ type: 'detail', index, position, ...(trial ? { trial } : {}), filter, search });
	},
	onRendered: () => {
		const noun = table.rowCount === 1 ? 'sample' : 'samples';
		count.textContent = `${table.rowCount} ${filter === 'all' && !search ? noun : `matching ${noun}`}`;
		const empty = emptyStateText(filter, search, table.rowCount);
		emptyState.textContent = empty ?? '';
		emptyState.hidden = empty === undefined;
		root.dataset.ready = 'true';
		if (pendingView) {
			const view = pendingView;
			pendingView = undefined;
			table.scroller.scrollTop = view.scrollTop ?? 0;
			if (view.selected) table.select(view.selected.index, view.selected.position, view.selected.trial);
		}
	},
});

function saveState(): void {
	host.setState<SavedState>({ key: stateKey, filter, search, restore: restoreState, scrollTop: table.scroller.scrollTop, selected });
}

let scrollSaveTimer: ReturnType<typeof setTimeout> | undefined;
table.scroller.addEventListener('scroll', () => {
	clearTimeout(scrollSaveTimer);
	scrollSaveTimer = setTimeout(saveState, 200);
});

const columnHeader = h(document, 'div', { id: 'results-columns' }, renderColumnHeader(document));
const tableWrap = h(document, 'div', { class: 'results-table-wrap', role: 'grid', 'aria-label': 'Samples' }, columnHeader, table.scroller);

/** The header of the evaluation shown; its trials decide whether the table has a trial column. */
function showHeader(header: ResultsHeader): void {
	headerSlot.replaceChildren(renderHeader(document, header));
	if (header.trials === trials) return;
	trials = header.trials;
	tableWrap.classList.toggle('with-trials', trials !== undefined && trials > 1);
	columnHeader.replaceChildren(renderColumnHeader(document, trials));
	table.trials = trials;
}

root.append(
	headerSlot,
	h(
		document,
		'div',
		{ class: 'toolbar', role: 'toolbar' },
		h(document, 'div', { class: 'filters', role: 'group', 'aria-label': 'Filter' }, ...filterButtons),
		searchBox,
		count,
		timingButton,
	),
	errorBox,
	tableWrap,
	emptyState,
	detail,
);

/** A new query starts at the top with nothing selected (a restored view then puts its place back). */
function runQuery(): void {
	selected = undefined;
	table.reset(pageSize);
	saveState();
	root.dataset.ready = 'false';
	root.dataset.filter = filter;
	detail.hidden = true;
	detail.replaceChildren();
}

for (const button of filterButtons) {
	button.addEventListener('click', () => {
		filter = button.dataset.filter as SampleFilter;
		for (const other of filterButtons) other.setAttribute('aria-pressed', other === button ? 'true' : 'false');
		runQuery();
	});
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
searchBox.addEventListener('input', () => {
	clearTimeout(searchTimer);
	searchTimer = setTimeout(() => {
		search = searchBox.value.trim();
		runQuery();
	}, SEARCH_DEBOUNCE_MS);
});
function initialize(header: ResultsHeader, size: number): void {
	pageSize = size;
	stateKey = `${header.experiment}\u0000${header.evalId}`;
	const saved = host.getState<SavedState>();
	if (saved?.key === stateKey) restore(saved);
	showHeader(header);
	errorBox.hidden = true;
	runQuery();
}

function restore(saved: SavedState): void {
	filter = saved.filter;
	search = saved.search;
	searchBox.value = saved.search;
	for (const button of filterButtons) button.setAttribute('aria-pressed', button.dataset.filter === filter ? 'true' : 'false');
	pendingView = { scrollTop: saved.scrollTop, selected: saved.selected };
}

timingButton.addEventListener('click', () => host.post({ type: 'openTiming' }));

host.onMessage((message) => {
	switch (message.type) {
		case 'init':
			restoreState = message.restore;
			initialize(message.header, message.pageSize);
			return;
		case 'changed':
			showHeader(message.header);
			errorBox.hidden = true;
			// An evaluation that did not exist at 'init' (a run just starting) gets its first query now.
			if (stateKey) table.refresh();
			else initialize(message.header, pageSize);
			return;
		case 'page':
			errorBox.hidden = true;
			table.receive(message.queryId, message.offset, message.total, message.rows);
			return;
		case 'detail':
			detail.replaceChildren(renderDetail(document, message.sample, trials));
			detail.dataset.index = String(message.sample.index);
			detail.dataset.trial = String(message.sample.trial ?? 0);
			detail.hidden = false;
			return;
		case 'error':
			errorBox.textContent = message.message;
			errorBox.hidden = false;
			root.dataset.ready = 'true';
			return;
	}
});

host.post({ type: 'ready' });
