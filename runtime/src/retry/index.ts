export { createRetryPolicy, resolveRetries, noRetries, type RetryOptions, type RetryPolicy } from './policy.js';
export { isRetryableByDefault, isConnectionError, httpStatusOf, retryAfterMs } from './classify.js';
