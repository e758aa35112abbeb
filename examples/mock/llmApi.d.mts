/** Types of the local mock model API (llmApi.mjs). */
export interface LlmApiOptions {
	/** Time before each answer, ms. Default 0. */
	latencyMs?: number;
	/** Requests per second allowed (token bucket). Default unlimited. */
	rps?: number;
	/** Bucket capacity in requests. Default rps / 10, at least 5. */
	burst?: number;
	/** Tokens per minute allowed. Default unlimited. */
	tpm?: number;
	tokenBurst?: number;
	/** Send x-ratelimit-* headers. Default true. */
	rateHeaders?: boolean;
	/** The model: prompt → answer. Default mockAnswer. */
	answer?: (prompt: string) => string;
	/** Keep every request body (tests). */
	keepBodies?: boolean;
}

export interface FailureStep {
	status: number;
	retryAfterMs?: number;
	retryAfterS?: number;
	/** Answer 429 insufficient_quota. */
	quota?: boolean;
}

export interface LlmApi {
	/** Base URL, e.g. http://127.0.0.1:41234 (OpenAI clients: `${url}/v1`). */
	url: string;
	stats: { requests: number; answered: number; limited: number; scripted: number; byPath: Record<string, number>; bodies: Array<{ path: string; body: any; headers: Record<string, string> }> };
	/** Answer the next requests with these failures, in order. */
	fail(...steps: FailureStep[]): void;
	close(): Promise<void>;
}

export function mockAnswer(prompt: string): string;
export function startLlmApi(options?: LlmApiOptions): Promise<LlmApi>;
