/**
 * `doteval/concurrency`: how many samples of an eval run at once.
 * @example
 * import { ForEach } from 'doteval';
 * import { SlidingWindow } from 'doteval/concurrency';
 * const foreachConcurrent = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 4 }) });
 */
export { Sequential } from './sequential.js';
export { SlidingWindow, type SlidingWindowOptions } from './slidingWindow.js';
export { Adaptive, AdaptiveController, type AdaptiveOptions, type AdaptationStep } from './adaptive.js';
export type { ConcurrencyStrategy, ConcurrencyController, AttemptReport } from './types.js';
export { isConcurrencyStrategy } from './types.js';
