// Model calls against a local mock API with a rate limit (examples/mock/llmApi.mjs: a token bucket
// of requests/s or tokens/min, HTTP 429 with retry-after beyond it, x-ratelimit-* headers), 50 ms a
// call. Each variant runs in its own process (`node bench/models.mjs --worker …`) while the mock runs
// here; wall time against the ideal (N / limit), samples lost, 429s answered.
//   window K       SlidingWindow(K) + modelFetch, 100 req/s                      goal ≤ 1.10× ideal, 0 lost
//   naive          SlidingWindow(100) + plain fetch, the default per-sample retries (the defect before)
//   adaptive R     Adaptive() defaults + modelFetch at R req/s                     goal ≤ 1.15× ideal, 0 lost
//   tpm            a tokens/min limit instead of requests/s                        goal ≤ 1.15× ideal, 0 lost
//   promptfoo      `doteval run` vs promptfoo -j 100 (openai provider) on the same mock, whole processes
//   replay         `doteval run --cache replay` vs the same eval scoring stored answers without calls
//   cache          lookup + store per call at 100k cached responses (p95)
// BENCH_MODELS_ROWS=replay,cache (names: rate = window + adaptive + tpm, promptfoo, replay, cache)
// runs only those rows, e.g. to profile one without the 20-second rate-limit runs; BENCH_MODELS_RPS=1000
// runs only that Adaptive row; `npm run bench` runs them all.
import { mkdirSync, rmSync, writeFileSync, existsSync, readFileSync, cpSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runJsonScript, measureProcess } from './lib/proc.mjs';
import { repoRoot } from './lib/build.mjs';
import { cli, runtimeDist, workDir } from './lib/snapshot.mjs';
import { quantile } from './lib/stats.mjs';

const self = fileURLToPath(import.meta.url);
const mockUrl = pathToFileURL(path.join(repoRoot, 'examples/mock/llmApi.mjs')).href;
const LAT = 50;

// ---- worker side ---------------------------------------------------------------------------------

const TEXTS = [
	['This movie is absolutely amazing!', 'positive'],
	['Terrible plot and awful acting', 'negative'],
	['It was an okay film, nothing special', 'neutral'],
	['Great cinematography and excellent story', 'positive'],
];

async function worker(args) {
	const opt = (name, dflt) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args[i + 1] : dflt;
	};
	const variant = opt('worker');
	if (variant === 'cache') return cacheWorker(Number(opt('entries', 100000)), Number(opt('ops', 5000)), opt('dir'));
	const [url, n, window] = [opt('url'), Number(opt('n', 2000)), opt('window', '100')];
	if (variant === 'raw') return rawWorker(url, n, Number(window));
	const pad = Number(opt('pad', 0));
	const entry = (name) => import(pathToFileURL(path.join(runtimeDist, `${name}.js`)).href);
	const [index, runner, concurrency, evaluators, models] = await Promise.all([
		entry('index'),
		entry('runner'),
		entry('concurrency'),
		entry('evaluators'),
		entry('models'),
	]);
	const f = variant === 'naive' ? fetch : models.modelFetch();
	const filler = pad > 0 ? ` ${'lorem ipsum '.repeat(Math.ceil(pad / 12)).slice(0, pad)}` : '';
	const rows = Array.from({ length: n }, (_, i) => [`${TEXTS[i % 4][0]} #${i}${filler}`, TEXTS[i % 4][1]]);
	const strategy = window === 'adaptive' ? new concurrency.Adaptive() : new concurrency.SlidingWindow({ maxConcurrency: Number(window) });
	const ev = new index.ForEach({ concurrency: strategy })(
		'text,expected',
		rows,
	)(async ({ text, expected }) => {
		const res = await f(`${url}/v1/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
			body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] }),
		});
		// Shaped like an SDK's error (status + headers), so the default retry policy reads Retry-After.
		if (!res.ok)
			throw Object.assign(new Error(`HTTP ${res.status}`), {
				name: res.status === 429 ? 'RateLimitError' : 'APIError',
				status: res.status,
				headers: res.headers,
			});
		const body = await res.json();
		return new index.Result(evaluators.exactMatch(body.choices[0].message.content, expected));
	});
	const def = runner.getEvalDefinition(ev);
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	const outcome = await runner.executeEval(def, {
		skip: new Set(),
		signal: new AbortController().signal,
		runScope: undefined,
		onSampleStart() {},
		onSampleEnd() {},
	});
	const wallMs = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	const s = outcome.summary;
	console.log(
		JSON.stringify({
			wallMs,
			cpuMs: (cpu.user + cpu.system) / 1000,
			completed: s.completed,
			errors: s.errors,
			errorsByType: s.errorsByType,
			final: s.strategy.options?.final?.currentConcurrency ?? null,
		}),
	);
}

/**
 * The HTTP floor: the same requests by plain `fetch` (Node's undici), `window` in flight, no doteval
 * at all; wall time and this process's CPU time. When the CPU per request × N exceeds the ideal, no
 * client in one Node process can reach the ideal on this machine, whatever it schedules.
 */
async function rawWorker(url, n, window) {
	let next = 0;
	const lane = async () => {
		while (next < n) {
			const i = next++;
			const res = await fetch(`${url}/v1/chat/completions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
				body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `${TEXTS[i % 4][0]} #${i}` }] }),
			});
			await res.json();
		}
	};
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	await Promise.all(Array.from({ length: window }, lane));
	const wallMs = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	console.log(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, completed: n, errors: 0 }));
}

async function cacheWorker(entries, ops, dir) {
	const { ResponseJournal, requestKeyOf } = await import(pathToFileURL(path.join(runtimeDist, 'models.js')).href).then((m) => ({
		ResponseJournal: m.ResponseJournal,
		requestKeyOf: m.requestKey,
	}));
	const file = path.join(dir, 'responses.jsonl');
	const body = (i) =>
		JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Question number ${i}: is this film any good? ${'x'.repeat(200)}` }] });
	const answer = (i) => ({
		status: 200,
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			id: `c${i}`,
			object: 'chat.completion',
			model: 'gpt-4o-mini',
			choices: [{ index: 0, message: { role: 'assistant', content: `answer ${i} ${'y'.repeat(300)}` }, finish_reason: 'stop' }],
			usage: { prompt_tokens: 60, completion_tokens: 80 },
		}),
		stream: false,
		at: Date.now(),
	});
	const headers = new Headers({ 'content-type': 'application/json' });
	const keyOf = (i) => requestKeyOf({ method: 'POST', url: 'https://api.openai.com/v1/chat/completions', headers, body: body(i), trial: 0 });
	if (!existsSync(file)) {
		const j = new ResponseJournal(file);
		for (let i = 0; i < entries; i++) j.set(keyOf(i), answer(i));
		j.close();
	}
	const t0 = performance.now();
	const journal = new ResponseJournal(file);
	const openMs = performance.now() - t0;
	if (journal.entries < entries) throw new Error(`journal holds ${journal.entries} entries, expected ${entries}`);
	const times = [];
	for (let k = 0; k < ops; k++) {
		// One call's cache work: key the request, look it up (a hit), and store a new answer (a miss).
		const i = (k * 7919) % entries;
		const s = performance.now();
		const hit = journal.get(keyOf(i));
		journal.set(keyOf(entries + k), answer(entries + k));
		times.push(performance.now() - s);
		if (!hit) throw new Error(`entry ${i} missing`);
	}
	journal.close();
	console.log(JSON.stringify({ p95Ms: quantile(times, 0.95), p50Ms: quantile(times, 0.5), openMs }));
}

if (process.argv[1] === self) await worker(process.argv.slice(2));

// ---- orchestrator side ---------------------------------------------------------------------------

async function withMock(options, fn) {
	const { startLlmApi } = await import(mockUrl);
	const api = await startLlmApi({ latencyMs: LAT, ...options });
	try {
		return { ...(await fn(api)), stats: { ...api.stats } };
	} finally {
		await api.close();
	}
}

export async function run(ctx) {
	const group = 'Models';
	const rows = [];
	const only = process.env.BENCH_MODELS_ROWS?.split(',').filter(Boolean);
	const wanted = (name) => !only || only.includes(name);
	if (!existsSync(path.join(runtimeDist, 'models.js'))) return [ctx.notMeasured(group, 'model calls', 'runtime/dist/models.js not built')];
	const n = ctx.quick ? 500 : 2000;
	// One round per row: each is a 20-second run against a computed ideal (or a peer in the same round).
	const rounds = Number(process.env.BENCH_MODELS_ROUNDS ?? 1);
	const measureWorker = async (mock, args) =>
		withMock(mock, async (api) => runJsonScript(self, ['--worker', ...args, '--url', api.url, '--n', String(n)], { timeoutMs: 600_000 }));

	// The floor: the same calls with no rate limit, at the window the limit allows (limit × latency),
	// measured now — what this machine, at its current load, can do at best. The mock API runs here,
	// each client in a process of its own, as a real API runs elsewhere: client and server never share
	// one event loop (they do share the machine's 2 cores). For the fast limits the row also measures
	// plain `fetch` at that window without doteval (rawWorker): the client's CPU per request shows
	// whether one Node process can send that many requests a second here at all.
	const floors = new Map();
	const floorFor = async (key, mock, args) => {
		if (!floors.has(key)) {
			const res = await measureWorker(mock, args);
			floors.set(key, { wallS: res.wallMs / 1000, cpuMs: res.cpuMs });
			ctx.log(`  floor ${key}: ${(res.wallMs / 1000).toFixed(2)} s, client CPU ${(res.cpuMs / n).toFixed(2)} ms a call`);
		}
		return floors.get(key);
	};
	const rateRow = async (name, mock, args, ideal, goal, floor, rawFloor) => {
		const walls = [];
		const notes = [];
		let lost = 0;
		for (let r = 0; r < rounds; r++) {
			const res = await measureWorker(mock, args);
			walls.push(res.wallMs / 1000);
			lost += res.errors;
			notes.push(`${res.errors} lost, ${res.stats.limited} 429s${res.final !== null ? `, final window ${res.final}` : ''}`);
			ctx.log(`  ${name}: ${(res.wallMs / 1000).toFixed(2)} s (${notes.at(-1)}, client CPU ${(res.cpuMs / n).toFixed(2)} ms a call)`);
		}
		const ratios = walls.map((w) => w / ideal);
		const f = floor ? await floor() : undefined;
		let vsFloor = f
			? `; ${(walls[0] / f.wallS).toFixed(2)}× the measured floor (${f.wallS.toFixed(1)} s: no limit, window = limit × latency, client CPU ${(f.cpuMs / n).toFixed(2)} ms a call)`
			: '';
		const raw = rawFloor ? await rawFloor() : undefined;
		if (raw)
			vsFloor += `; plain fetch, same window, no doteval: ${raw.wallS.toFixed(1)} s = ${(raw.wallS / ideal).toFixed(2)}× ideal, client CPU ${(raw.cpuMs / n).toFixed(2)} ms a request = ${(raw.cpuMs / 1000).toFixed(1)} s for ${n} = ${(raw.cpuMs / 1000 / ideal).toFixed(2)}× ideal in one process's CPU alone`;
		rows.push(
			ctx.row({
				group,
				name,
				figure: ctx.series(walls, 's'),
				baseline: ctx.series([ideal], 's'),
				baselineLabel: 'ideal',
				ratio: ctx.series(ratios, ''),
				goal: goal && { op: '<=', value: lost > 0 ? -1 : goal, text: `≤ ${goal.toFixed(2)}× ideal, 0 lost` },
				note: notes.join('; ') + vsFloor,
			}),
		);
	};

	if (wanted('rate') || wanted('window')) {
		const ideal100 = n / 100;
		const floor100 = () => floorFor('100 req/s', {}, ['doteval', '--window', '5']);
		ctx.log(`models: ${n} samples × ${LAT} ms, 100 req/s`);
		for (const k of ctx.quick ? [5, 100, 1000] : [5, 20, 100, 1000]) {
			await rateRow(
				`${n} × ${LAT} ms at 100 req/s, SlidingWindow(${k}) + modelFetch: wall / ideal`,
				{ rps: 100 },
				['doteval', '--window', String(k)],
				ideal100,
				1.1,
				floor100,
			);
		}
		await rateRow(
			`${n} × ${LAT} ms at 100 req/s, SlidingWindow(100) + plain fetch, per-sample retries (before): wall / ideal`,
			{ rps: 100 },
			['naive', '--window', '100'],
			ideal100,
			null,
		);
	}
	if (wanted('rate') || wanted('adaptive')) {
		const only = process.env.BENCH_MODELS_RPS?.split(',').map(Number);
		for (const rps of [100, 300, 1000].filter((r) => !only || only.includes(r))) {
			const window = String((rps * LAT) / 1000);
			await rateRow(
				`${n} × ${LAT} ms at ${rps} req/s, Adaptive() + modelFetch: wall / ideal`,
				{ rps },
				['doteval', '--window', 'adaptive'],
				n / rps,
				1.15,
				() => floorFor(`${rps} req/s`, {}, ['doteval', '--window', window]),
				rps >= 300 ? () => floorFor(`${rps} req/s raw`, {}, ['raw', '--window', window]) : undefined,
			);
		}
	}
	if (wanted('rate') || wanted('tpm')) {
		// Tokens/min: ~400-character prompts (≈ 110 tokens a call with the answer), 660,000 tokens/min ≈ 100 calls/s.
		{
			const pad = 400;
			const tokensPerCall = Math.ceil((TEXTS[0][0].length + 6 + 1 + pad) / 4) + 2; // the mock's count, roughly
			const tpm = 660_000;
			const ideal = (n * tokensPerCall) / (tpm / 60);
			const window = Math.round((tpm / 60 / tokensPerCall) * (LAT / 1000));
			await rateRow(
				`${n} × ${LAT} ms, ${tpm.toLocaleString('en-US')} tokens/min limit, SlidingWindow(100) + modelFetch: wall / ideal`,
				{ tpm },
				['doteval', '--window', '100', '--pad', String(pad)],
				ideal,
				1.15,
				() => floorFor('tpm', {}, ['doteval', '--window', String(window), '--pad', String(pad)]),
			);
		}
	}
	if (wanted('promptfoo')) rows.push(...(await promptfooPair(ctx, group, n, rounds)));
	if (wanted('replay')) rows.push(...(await replayPair(ctx, group, n, rounds)));
	// Cache work per call at 100k entries.
	if (wanted('cache')) {
		const dir = workDir('models-cache');
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
		const res = await runJsonScript(self, ['--worker', 'cache', '--entries', String(ctx.quick ? 20000 : 100000), '--ops', '5000', '--dir', dir]);
		rows.push(
			ctx.row({
				group,
				name: `response cache: key + lookup + store per call at ${ctx.quick ? '20k' : '100k'} entries, p95`,
				figure: ctx.series([res.p95Ms], 'ms'),
				goal: { op: '<=', value: 0.1, on: 'figure', text: '≤ 0.1 ms p95' },
				note: `p50 ${res.p50Ms.toFixed(3)} ms; opening the cache (index build) ${res.openMs.toFixed(0)} ms`,
			}),
		);
		rmSync(dir, { recursive: true, force: true });
	}
	return rows;
}

function evalProject(name, extra = {}) {
	const dir = workDir(name);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
	cpSync(path.join(repoRoot, 'bench/models/api.eval.ts'), path.join(dir, 'api.eval.ts'));
	for (const [file, text] of Object.entries(extra)) writeFileSync(path.join(dir, file), text);
	return dir;
}

async function promptfooPair(ctx, group, n, rounds) {
	const peers = path.join(repoRoot, 'bench/peers');
	const bin = path.join(peers, 'node_modules/promptfoo/dist/src/entrypoint.js');
	const name = `${n} × ${LAT} ms at 100 req/s: doteval run (SlidingWindow(100) + modelFetch) wall / promptfoo -j 100`;
	if (!existsSync(bin) || !existsSync(cli))
		return [ctx.notMeasured(group, name, !existsSync(bin) ? 'promptfoo not installed; run `npm run bench:peers`' : 'runtime/dist/cli.js not built', '≤ 0.5×')];
	const texts = Array.from({ length: n }, (_, i) => [`${TEXTS[i % 4][0]} #${i}`, TEXTS[i % 4][1]]);
	const dd = [],
		pf = [],
		notes = [];
	for (let r = 0; r < rounds; r++) {
		const d = await withMock({ rps: 100 }, async (api) => {
			const dir = evalProject('models-vs-promptfoo');
			const res = await measureProcess(process.execPath, [cli, 'run', 'api.eval.ts', '--reporter', 'jsonl'], {
				cwd: dir,
				env: { ...process.env, URL: api.url, N: String(n), WINDOW: '100', NO_COLOR: '1' },
			});
			const end = res.stdout
				.split('\n')
				.filter(Boolean)
				.map((l) => JSON.parse(l))
				.find((e) => e.type === 'eval-end');
			return { wallMs: res.wallMs, lost: end?.summary.errors ?? n, code: res.code };
		});
		const p = await withMock({ rps: 100 }, async (api) => {
			const dir = path.join(peers, 'work', String(process.pid), 'models-promptfoo');
			rmSync(dir, { recursive: true, force: true });
			mkdirSync(dir, { recursive: true });
			writeFileSync(path.join(dir, 'data.csv'), `text,expected\n${texts.map(([t, e]) => `"${t}",${e}`).join('\n')}\n`);
			writeFileSync(
				path.join(dir, 'promptfooconfig.yaml'),
				[
					'description: doteval bench - rate-limited mock API',
					'prompts:',
					"  - '{{text}}'",
					'providers:',
					'  - id: openai:chat:gpt-4o-mini',
					'    config:',
					`      apiBaseUrl: ${api.url}/v1`,
					'      apiKey: sk-bench',
					'tests: file://data.csv',
					'defaultTest:',
					'  assert:',
					'    - type: equals',
					"      value: '{{expected}}'",
					'',
				].join('\n'),
			);
			const res = await measureProcess(
				process.execPath,
				[bin, 'eval', '-c', 'promptfooconfig.yaml', '-j', '100', '--no-cache', '--no-progress-bar', '--no-table', '-o', 'out.json'],
				{
					cwd: dir,
					timeoutMs: 900_000,
					env: {
						...process.env,
						NO_COLOR: '1',
						DO_NOT_TRACK: '1',
						PROMPTFOO_DISABLE_TELEMETRY: '1',
						PROMPTFOO_DISABLE_UPDATE: '1',
						PROMPTFOO_CONFIG_DIR: path.join(dir, '.promptfoo'),
						OPENAI_API_KEY: 'sk-bench',
					},
				},
			);
			let lost = null;
			try {
				const out = JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8'));
				lost = out.results?.stats?.errors ?? null;
			} catch {
				/* no output: counted as unknown */
			}
			return { wallMs: res.wallMs, lost, code: res.code };
		});
		dd.push(d.wallMs / 1000);
		pf.push(p.wallMs / 1000);
		notes.push(`doteval ${d.lost} lost (${d.stats.limited} 429s), promptfoo ${p.lost ?? '?'} lost (${p.stats.limited} 429s, exit ${p.code})`);
		ctx.log(`  promptfoo pair: doteval ${(d.wallMs / 1000).toFixed(1)} s, promptfoo ${(p.wallMs / 1000).toFixed(1)} s; ${notes.at(-1)}`);
	}
	rmSync(path.join(peers, 'work', String(process.pid)), { recursive: true, force: true });
	return [
		ctx.row({
			group,
			name,
			figure: ctx.series(dd, 's'),
			baseline: ctx.series(pf, 's'),
			baselineLabel: 'promptfoo',
			ratio: ctx.paired(dd, pf),
			goal: { op: '<=', value: 0.5, text: '≤ 0.5×' },
			note: notes.join('; '),
		}),
	];
}

async function replayPair(ctx, group, n, rounds) {
	const name = `doteval run --cache replay of ${n} samples / the same run scoring stored answers (no calls)`;
	if (!existsSync(cli)) return [ctx.notMeasured(group, name, 'runtime/dist/cli.js not built', '≤ 1.2×')];
	// The "scoring alone" eval: the same rows, scored against the answers a model gave, without calls.
	const scoring = `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';
const N = Number(process.env.N ?? 100);
const texts = ${JSON.stringify(TEXTS)};
const rows = Array.from({ length: N }, (_, i) => [\`\${texts[i % 4][0]} #\${i}\`, texts[i % 4][1]]);
const answers = new Map(rows.map(([t, e]) => [t, JSON.stringify({ choices: [{ message: { content: e } }] })]));
export const evalScoring = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 100 }) })('text,expected', rows)(async ({ text, expected }) => {
	const body = JSON.parse(answers.get(text));
	return new Result(exactMatch(body.choices[0].message.content, expected), { prompt: text });
});
`;
	const dir = evalProject('models-replay', { 'scoring.eval.ts': scoring });
	const env = (url) => ({ ...process.env, URL: url, N: String(n), WINDOW: '100', NO_COLOR: '1' });
	const runCli = (args, url) => measureProcess(process.execPath, [cli, 'run', ...args, '--reporter', 'jsonl'], { cwd: dir, env: env(url) });
	// Record once against the mock (unlimited rate), then replay with the mock gone.
	// (The URL is part of the cache key: replay asks the recorded, now closed, address.)
	const { url } = await withMock({ latencyMs: 0 }, async (api) => {
		const r = await runCli(['api.eval.ts', '--cache', 'record', '-e', 'recorded'], api.url);
		if (r.code !== 0) throw new Error(`recording failed: ${r.stderr.slice(-800)}`);
		return { url: api.url };
	});
	const replay = [],
		scoringAlone = [];
	for (let r = 0; r < rounds + 1; r++) {
		const a = await runCli(['api.eval.ts', '--cache', 'replay'], url);
		const end = a.stdout
			.split('\n')
			.filter(Boolean)
			.map((l) => JSON.parse(l))
			.find((e) => e.type === 'eval-end');
		if (a.code !== 0 || end?.summary.errors) throw new Error(`replay failed (exit ${a.code}, ${end?.summary.errors} errors): ${a.stderr.slice(-800)}`);
		const b = await runCli(['scoring.eval.ts'], '');
		if (b.code !== 0) throw new Error(`scoring run failed: ${b.stderr.slice(-800)}`);
		if (r === 0) continue; // warm-up: compile caches
		replay.push(a.wallMs / 1000);
		scoringAlone.push(b.wallMs / 1000);
	}
	return [
		ctx.row({
			group,
			name,
			figure: ctx.series(replay, 's'),
			baseline: ctx.series(scoringAlone, 's'),
			baselineLabel: 'scoring alone',
			ratio: ctx.paired(replay, scoringAlone),
			goal: { op: '<=', value: 1.2, text: '≤ 1.2×' },
			note: 'whole `doteval run` processes (start-up, store); replay uses plain fetch through modelFetch, the API unreachable',
		}),
	];
}
