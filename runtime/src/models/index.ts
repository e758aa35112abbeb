/**
 * `doteval/models`: model calls that know which sample made them. A `fetch` drop-in for any SDK that
 * takes one (OpenAI, Anthropic, the AI SDK's providers, plain fetch) and an AI SDK middleware; one
 * rate-limit budget per provider/key for the whole run; a response cache with record/replay; tokens
 * and cost per sample; LLM judges. No SDK is a dependency: the SDKs are yours.
 */
export { modelFetch, type ModelFetchOptions } from './fetch.js';
export { QuotaExhaustedError, type BudgetLimits } from './budget/budget.js';
export { CacheMissError } from './errors.js';
export { cacheModes, type CacheMode } from './cache/mode.js';
export { setPrices, defaultPrices, defaultPricesAsOf, defaultPricesSource, type ModelPrice, type PriceTable } from './prices.js';
export { normalizeUsage, type TokenUsage } from './usage.js';
export { setModelRunSettings, currentSample, type ModelRunSettings, type SampleModelStats } from './context.js';
export { resetBudgets } from './budget/registry.js';
// The cache's parts, for tools that inspect or pre-fill a cache (and the benchmarks).
export { ResponseJournal, type CachedResponse } from './cache/journal.js';
export { requestKey } from './cache/key.js';
export { modelMiddleware, type ModelMiddlewareOptions } from './aiSdk.js';
export { llmJudge, JudgeAnswerError, type JudgeOptions, type JudgeInput } from './judge.js';
