/**
 * A tiny local stand-in for a hosted model API (step 6 of the tutorial): POST /v1/sentiment with
 * {"text": "..."} answers {"label": "..."} after 0.5 s of "network latency"; GET /health answers at
 * once. It listens on 127.0.0.1 on a free port, so the example needs no internet and no API key.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { latencyMs } from './sentiment.js';

export interface SentimentApi {
	/** Base URL, e.g. http://127.0.0.1:41234 */
	url: string;
	close(): Promise<void>;
}

/** The mock API's answer: the tutorial's `openai_sentiment` only knows two words. */
function mockLabel(text: string): string {
	const lower = text.toLowerCase();
	if (lower.includes('amazing')) return 'positive';
	if (lower.includes('terrible')) return 'negative';
	return 'neutral';
}

export async function startSentimentApi(): Promise<SentimentApi> {
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
		req.on('end', () => {
			if (req.method === 'GET' && req.url === '/health') {
				res.writeHead(200).end('ok');
				return;
			}
			if (req.method !== 'POST' || req.url !== '/v1/sentiment') {
				res.writeHead(404).end();
				return;
			}
			const { text } = JSON.parse(body) as { text: string };
			setTimeout(() => {
				res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ label: mockLabel(text) }));
			}, latencyMs(0.5)); // Realistic API latency
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}`;
	// Ready when it answers (this also loads Node's fetch before the first sample is timed).
	await fetch(`${url}/health`).then((r) => r.text());
	return {
		url,
		close: () => new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}

/** The client side, as an SDK call would look: one HTTP request per classification. */
export async function apiSentiment(baseUrl: string, text: string): Promise<string> {
	const response = await fetch(`${baseUrl}/v1/sentiment`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ text }),
	});
	if (!response.ok) throw Object.assign(new Error(`sentiment API answered HTTP ${response.status}`), { status: response.status });
	return ((await response.json()) as { label: string }).label;
}
