/** Shared helpers for the model-layer tests: a fresh mock API per test and a clean run state. */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// The mock is plain JavaScript (with a .d.mts), shared with the examples and the benchmarks.
import { startLlmApi } from '../../examples/mock/llmApi.mjs';
import { resetBudgets, setModelRunSettings } from '../../runtime/src/models/index.js';

export interface MockApi {
	url: string;
	stats: {
		requests: number;
		answered: number;
		limited: number;
		scripted: number;
		byPath: Record<string, number>;
		bodies: Array<{ path: string; body: any; headers: Record<string, string> }>;
	};
	fail(...steps: Array<{ status: number; retryAfterMs?: number; retryAfterS?: number; quota?: boolean }>): void;
	close(): Promise<void>;
}

export const startMock = (o: Record<string, unknown> = {}): Promise<MockApi> => startLlmApi(o) as Promise<MockApi>;

/** A temp cache folder and clean budgets; returns a cleanup. */
export function freshRun(cache: 'off' | 'on' | 'replay' | 'record' | undefined = undefined): { dir: string; done(): void } {
	resetBudgets();
	const dir = mkdtempSync(path.join(os.tmpdir(), 'doteval-models-'));
	setModelRunSettings({ cache, cacheDir: path.join(dir, 'cache') });
	return {
		dir,
		done: () => {
			setModelRunSettings({ cache: undefined, cacheDir: undefined });
			resetBudgets();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
