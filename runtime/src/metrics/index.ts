/** Statistics for scores and timings, shared by the executor and the store. */
export { accuracy, mean, metric, lookupMetric, metricNameOf, numericValue, type Metric } from './metric.js';
export { wilsonInterval, estimateMean, meanWithInterval, emptyMoments, addValue, tQuantile975, type Moments, type Estimate } from './stats.js';
export { latencySummary, percentileOfSorted, LatencyCollector } from './percentiles.js';
export { SummaryAccumulator, summarize, type SummarizableSample, type SummaryContext } from './summarize.js';
