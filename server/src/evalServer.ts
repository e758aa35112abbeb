/**
 * The language server as a thin adapter: documents and file events → discovery (EvalIndex) →
 * answers (lenses, diagnostics, hovers, symbols, the eval list). All eval knowledge lives in
 * `discovery/`, all formatting in `features/`.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import {
	CodeLensRefreshRequest,
	type CodeLens,
	DidChangeWatchedFilesNotification,
	FileChangeType,
	TextDocuments,
	TextDocumentSyncKind,
	type Connection,
	type InitializeParams,
	type InitializeResult,
	type Position,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isPostgresUrl } from '../../runtime/src/contracts/storage.js';
import {
	EvalsChangedNotification,
	ListEvalsRequest,
	StoreChangedNotification,
	type EvalDefinition,
	type FileEvals,
	type Range,
} from '../../runtime/src/contracts/editorProtocol.js';
import { defaultSettings, normalizeSettings, storePathFor } from './settings';
import { discoverFile, mightHaveEvals, type FileFacts } from './discovery/index';
import { loadTypeScript, saveCompileCache, useCompileCache } from './discovery/typescript';
import { EvalIndex } from './workspace/evalIndex';
import { WorkspaceSync } from './workspace/workspaceSync';
import { SharedFixtures } from './workspace/sharedFixtures';
import { fixtureFileNames, isFixtureFile } from '../../runtime/src/contracts/evalFiles.js';
import { StoreResults, type OpenStoreReader } from './store/storeResults';
import { codeLenses, type LensTarget } from './features/codeLens';
import { diagnose } from './features/diagnostics';
import { hoverMarkdown } from './features/hover';
import { documentSymbols, workspaceSymbols } from './features/symbols';
import { StartupTiming } from './startupTiming';
import { LensTiming } from './lensTiming';
import { CompilerLoad } from './compilerLoad';
import { quickScan } from './discovery/quickScan';

/** Lens refresh requests within this window become one. */
const refreshDelayMs = 15;
/** How often a running evaluation's lens timer moves on. */
const runningLensTickMs = 1000;
/**
 * How long after `initialize` the compiler waits for the first lens request (VS Code asks within a
 * few hundred ms of opening an eval file) before it loads anyway, for the workspace index.
 */
const compilerWaitMs = 1000;

export class EvalServer {
	private readonly documents = new TextDocuments(TextDocument);
	private readonly index: EvalIndex;
	private readonly fixtures: SharedFixtures;
	private readonly store: StoreResults;
	private readonly sync: WorkspaceSync;
	private settings = defaultSettings;
	private folders: string[] = [];
	private initialized = false;
	private indexedOnce = false;
	private refreshTimer: NodeJS.Timeout | undefined;
	private tickTimer: NodeJS.Timeout | undefined;
	/** Resolved after `initialized` has read the settings and indexed the workspace once. */
	private readonly ready: Promise<void>;
	private markReady: () => void = () => undefined;
	private readonly published = new Map</* uri */ string, string>();
	/** Per open document, the lenses (JSON) the editor last got or was told to ask for. */
	private readonly told = new Map</* uri */ string, string>();
	private readonly unsaved = new Map</* uri */ string, { version: number; facts: FileFacts }>();
	private client = { configuration: false, watchedFiles: false, codeLens: false, codeLensRefresh: false };
	private readonly timing: StartupTiming;
	private readonly lensTiming: LensTiming;
	/** Held while an open file's first lens is still to be asked for (by a client that asks) and the text scan can answer it. */
	private readonly compiler = new CompilerLoad(
		loadTypeScript,
		() => this.client.codeLens && !this.answeredLens && this.documents.all().some((d) => (this.quickTargets(d)?.length ?? 0) > 0),
	);
	private answeredLens = false;

	constructor(
		private readonly connection: Connection,
		openStore: OpenStoreReader,
	) {
		this.index = new EvalIndex((file, evals) => this.evalsChanged(file, evals));
		this.sync = new WorkspaceSync(
			this.index,
			(file) => this.isOpen(file),
			() => this.revalidateOpenDocuments(),
		);
		this.fixtures = new SharedFixtures((file) => {
			const doc = this.documents.get(this.uriOf(file));
			return doc && { version: doc.version, text: doc.getText() };
		});
		this.ready = new Promise((resolve) => (this.markReady = resolve));
		this.store = new StoreResults(
			openStore,
			() => void this.refreshIfLensesChanged(),
			(m) => this.connection.console.log(m),
		);
		this.timing = new StartupTiming((m) => this.connection.console.log(m));
		this.lensTiming = new LensTiming((m) => this.connection.console.log(m));
		// Documents opened before the compiler loaded get their diagnostics now, and the lenses a text
		// scan could not give (answered empty rather than wait for the compiler).
		void this.compiler.loaded.then(() => {
			this.revalidateOpenDocuments();
			void this.refreshIfLensesChanged();
		});
	}

	listen(): void {
		const c = this.connection;
		c.onInitialize((params) => this.onInitialize(params));
		c.onInitialized(() => void this.onInitialized());
		c.onDidChangeConfiguration(() => void this.reloadSettings());
		c.onDidChangeWatchedFiles(({ changes }) => {
			this.sync.stopPolling(); // the client does send file events after all
			for (const change of changes) this.onDiskChange(fileOf(change.uri), change.type === FileChangeType.Deleted);
		});
		// Every answer comes from what is already at hand (a text scan, the store reader in place): VS
		// Code waits the average of recent answer times (≥ 250 ms) before each later request, so one
		// slow answer delays the next few result lenses. Better data arrives by codeLens/refresh.
		c.onCodeLens(async ({ textDocument }) => {
			const askedAt = Date.now();
			this.timing.asked();
			const doc = this.documents.get(textDocument.uri);
			if (!doc) return [];
			const quick = !this.compiler.isLoaded;
			const lenses = await this.lensesOf(doc);
			this.timing.firstLens(quick && !this.compiler.isLoaded);
			this.lensTiming.answered(askedAt);
			this.answeredLens = true;
			// The first lens is out: the compiler may take the thread now.
			this.compiler.soon(0);
			this.told.set(doc.uri, JSON.stringify(lenses));
			return lenses;
		});
		c.onHover(async ({ textDocument, position }) => {
			await this.compiler.loaded; // parsing now would load the compiler ahead of the first lens
			const doc = this.documents.get(textDocument.uri);
			// On the name or the first line of the call, not all over the eval's body (TypeScript's hovers live there).
			const e =
				doc &&
				this.factsOf(doc)
					.evals.map((x) => x.definition)
					.find((d) => inRange(d.nameRange, position) || (position.line === d.range.start.line && inRange(d.range, position)));
			if (!e) return null;
			const storePath = this.storePath(e.file);
			await this.store.ensure(storePath);
			return { contents: hoverMarkdown(e, await this.store.results(storePath, e.id)), range: e.nameRange };
		});
		c.onDocumentSymbol(async ({ textDocument }) => {
			// VS Code asks for the outline as a file opens: parsing now would load the compiler ahead of the first lens.
			await this.compiler.loaded;
			const doc = this.documents.get(textDocument.uri);
			return doc ? documentSymbols(this.factsOf(doc).evals.map((e) => e.definition)) : [];
		});
		c.onWorkspaceSymbol(async ({ query }) => {
			await this.indexed();
			return workspaceSymbols(this.listEvals(), query);
		});
		c.onRequest(ListEvalsRequest.type, async () => {
			await this.indexed();
			return this.listEvals();
		});
		c.onNotification(StoreChangedNotification.type, ({ path: storePath }) => {
			this.lensTiming.storeChanged();
			this.store.invalidate(isPostgresUrl(storePath) ? storePath : path.resolve(storePath));
		});
		c.onShutdown(() => {
			saveCompileCache();
			this.sync.stopPolling();
			clearTimeout(this.refreshTimer);
			clearTimeout(this.tickTimer);
			this.compiler.dispose();
			this.store.dispose();
		});

		// The edited document is answered first: it is parsed on the event itself, while the
		// workspace scan yields between chunks.
		this.documents.onDidChangeContent(({ document }) => {
			this.timing.opened();
			// Before the compiler is loaded, parsing would load it here, ahead of the first lens.
			if (this.compiler.isLoaded) this.onDocument(document);
		});
		this.documents.onDidClose(({ document }) => {
			this.published.delete(document.uri);
			this.told.delete(document.uri);
			this.unsaved.delete(document.uri);
			void c.sendDiagnostics({ uri: document.uri, diagnostics: [] });
			if (document.uri.startsWith('file:')) this.onDiskChange(fileOf(document.uri), false);
		});
		this.documents.listen(c);
		c.listen();
	}

	private onInitialize(params: InitializeParams): InitializeResult {
		this.timing.initialize();
		const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
		this.folders = folders.filter((u) => u.startsWith('file:')).map(fileOf);
		this.applySettings(normalizeSettings(params.initializationOptions?.settings ?? params.initializationOptions));
		const cacheDir: unknown = params.initializationOptions?.compileCacheDir;
		useCompileCache(typeof cacheDir === 'string' && path.isAbsolute(cacheDir) ? cacheDir : undefined);
		// The first lens comes from a text scan; the compiler (1–2.5 s cold) loads once it is out.
		this.compiler.soon(compilerWaitMs);
		const caps = params.capabilities;
		this.client = {
			configuration: !!caps.workspace?.configuration,
			watchedFiles: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
			codeLens: !!caps.textDocument?.codeLens,
			codeLensRefresh: !!caps.workspace?.codeLens?.refreshSupport,
		};
		return {
			capabilities: {
				textDocumentSync: TextDocumentSyncKind.Incremental,
				codeLensProvider: { resolveProvider: false },
				hoverProvider: true,
				documentSymbolProvider: true,
				workspaceSymbolProvider: true,
			},
			serverInfo: { name: 'doteval-language-server' },
		};
	}

	private async onInitialized(): Promise<void> {
		this.initialized = true;
		if (this.client.configuration) await this.fetchSettings();
		if (this.client.watchedFiles) {
			const globPatterns = [...this.settings.evalGlobs, `**/{${fixtureFileNames.join(',')}}`];
			void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: globPatterns.map((globPattern) => ({ globPattern })) });
		} else {
			this.sync.startPolling();
		}
		try {
			await this.compiler.loaded;
			await this.sync.rescan();
		} finally {
			this.indexedOnce = true;
			this.markReady();
			this.refreshLenses();
		}
	}

	/** Wait for the first index and any scan in progress. */
	private async indexed(): Promise<void> {
		await this.ready;
		await this.sync.scanning;
	}

	private async fetchSettings(): Promise<void> {
		try {
			this.applySettings(normalizeSettings(await this.connection.workspace.getConfiguration('doteval')));
		} catch (error) {
			this.connection.console.log(`[settings] cannot read doteval settings: ${(error as Error).message}`);
		}
	}

	private async reloadSettings(): Promise<void> {
		if (this.client.configuration) await this.fetchSettings();
		await this.sync.rescan();
		this.refreshLenses();
	}

	private applySettings(settings: typeof defaultSettings): void {
		this.settings = settings;
		this.sync.configure(this.folders, settings.evalGlobs);
	}

	private onDocument(document: TextDocument): void {
		const file = fileOf(document.uri);
		if (isFixtureFile(file)) this.revalidateOpenDocuments();
		this.validate(document);
	}

	private onDiskChange(file: string, deleted: boolean): void {
		if (isFixtureFile(file)) this.revalidateOpenDocuments();
		this.sync.fileChanged(file, deleted);
	}

	private factsOf(document: TextDocument): FileFacts {
		if (document.uri.startsWith('file:')) return this.index.updateText(fileOf(document.uri), document.version, document.getText());
		// Unsaved (untitled) documents get lenses and diagnostics but stay out of the workspace's eval list.
		const cached = this.unsaved.get(document.uri);
		if (cached?.version === document.version) return cached.facts;
		const facts = discoverFile(document.uri, document.getText(), this.folders[0] ?? process.cwd());
		this.unsaved.set(document.uri, { version: document.version, facts });
		return facts;
	}

	private validate(document: TextDocument): void {
		const file = fileOf(document.uri);
		const facts = this.factsOf(document);
		const diagnostics = facts.evals.length ? diagnose(facts, this.fixtures.namesFor(file, this.index.projectRoot(file))) : [];
		const json = JSON.stringify(diagnostics);
		if ((this.published.get(document.uri) ?? '[]') === json) return;
		this.published.set(document.uri, json);
		void this.connection.sendDiagnostics({ uri: document.uri, diagnostics });
	}

	private revalidateOpenDocuments(): void {
		for (const doc of this.documents.all()) this.validate(doc);
	}

	private evalsChanged(file: string, evals: EvalDefinition[]): void {
		// Until the first index is done the client learns everything from one listEvals answer.
		if (!this.indexedOnce) return;
		void this.connection.sendNotification(EvalsChangedNotification.type, { uri: this.uriOf(file), file, evals });
		this.refreshLenses();
	}

	private listEvals(): FileEvals[] {
		return this.index.filesWithEvals().map(({ file, evals }) => ({ uri: this.uriOf(file), file, evals }));
	}

	private storePath(file: string): string {
		return storePathFor(this.settings, this.index.projectRoot(file), this.sync.folderOf(file));
	}

	/** One lens refresh a second while a shown evaluation runs (each answer that shows one asks for the next). */
	private tickRunningLenses(): void {
		if (this.tickTimer) return;
		this.tickTimer = setTimeout(() => {
			this.tickTimer = undefined;
			void this.refreshIfLensesChanged();
		}, runningLensTickMs);
	}

	/** Coalesced: a scan or a burst of store writes asks once, not once per file. */
	private refreshLenses(): void {
		if (!this.initialized || !this.client.codeLensRefresh || this.refreshTimer) return;
		this.refreshTimer = setTimeout(() => {
			this.refreshTimer = undefined;
			this.lensTiming.refreshSent();
			void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
		}, refreshDelayMs);
	}

	/**
	 * The lenses of an open document. Run and Debug never wait for the store: until it is read the
	 * lenses come without results, and a codeLens/refresh brings them when the read lands.
	 */
	private async lensesOf(doc: TextDocument): Promise<CodeLens[]> {
		return (await this.lensState(doc)).lenses;
	}

	/** The lenses, and whether one of them shows an evaluation still running. */
	private async lensState(doc: TextDocument): Promise<{ lenses: CodeLens[]; running: boolean }> {
		const evals = this.lensTargets(doc);
		if (evals.length === 0) return { lenses: [], running: false };
		const storePath = this.storePath(fileOf(doc.uri));
		const latest = (await this.store.ready(storePath))
			? new Map(await Promise.all(evals.map(async (e) => [e.id, await this.store.latest(storePath, e.id)] as const)))
			: new Map();
		// A running evaluation's lens shows its elapsed time: ask the editor again in a second.
		const running = [...latest.values()].some((r) => r?.evaluation.status === 'running');
		if (running) this.tickRunningLenses();
		return { lenses: codeLenses(evals, (id) => latest.get(id)), running };
	}

	/** The evals to put lenses on: from the text scan while the compiler is not loaded and the scan is sure. */
	private lensTargets(doc: TextDocument): LensTarget[] {
		if (!this.compiler.isLoaded) {
			const quick = this.quickTargets(doc);
			if (quick) return quick;
			// Not sure from the text: no lenses for now, rather than block this answer for the compiler's
			// load (1–2.5 s); the refresh after the load brings them.
			this.compiler.soon(0);
			return [];
		}
		return this.factsOf(doc).evals.map((e) => e.definition);
	}

	/** The text scan's lens targets of a file, when it is sure of them (none in a file that cannot have evals). */
	private quickTargets(doc: TextDocument): LensTarget[] | undefined {
		if (!doc.uri.startsWith('file:')) return undefined;
		const file = fileOf(doc.uri);
		return mightHaveEvals(doc.getText()) ? quickScan(file, doc.getText(), this.index.projectRoot(file)) : [];
	}

	/**
	 * After a store read: ask the editor for lenses again only if an open document's lenses differ
	 * from what it was last told. Each refresh restarts VS Code's CodeLens debounce (≥ 250 ms), so
	 * the echoes of one run's end (eval-end, run-end, the store's file events, a running lens's
	 * tick) must not each push the new result lens back by another debounce.
	 */
	private async refreshIfLensesChanged(): Promise<void> {
		for (const doc of this.documents.all()) {
			const told = this.told.get(doc.uri);
			if (told === undefined) continue; // never asked: the editor asks by itself
			const { lenses, running } = await this.lensState(doc);
			const now = JSON.stringify(lenses);
			if (now === told) continue;
			this.told.set(doc.uri, now);
			if (!running) this.lensTiming.settled();
			this.refreshLenses();
		}
	}

	private isOpen(file: string): boolean {
		return this.documents.get(this.uriOf(file)) !== undefined;
	}

	/** The client's own URI for an open document (VS Code encodes drive letters its own way). */
	private uriOf(file: string): string {
		const href = pathToFileURL(file).href;
		return this.documents.keys().find((uri) => uri === href || (uri.startsWith('file:') && fileOf(uri) === file)) ?? href;
	}
}

function fileOf(uri: string): string {
	return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

function inRange(range: Range, p: Position): boolean {
	const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
	const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
	return afterStart && beforeEnd;
}
