/**
 * `doteval/runner`: what a runner (the CLI, the editor, a test harness) needs to find, load and run
 * evals. Eval authors import `doteval` instead; nothing here is needed to write an eval.
 * @example
 * import { registeredEvals, executeEval, createRunScope } from 'doteval/runner';
 * await import('./math.eval.ts');
 * const scope = createRunScope();
 * for (const def of registeredEvals()) {
 *   const outcome = await executeEval(def, { skip: new Set(), signal: AbortSignal.timeout(60_000), runScope: scope, onSampleStart() {}, onSampleEnd: (s) => console.log(s.index, s.passed) });
 *   console.log(def.name, outcome.status, outcome.summary.completed);
 * }
 * await scope.teardown();
 */
export { registeredEvals, evalsDefinedIn, getEvalDefinition, isEval, beginFileLoad, endFileLoad, clearRegistry, EVAL_BRAND } from '../core/registry.js';
export { executeEval } from '../executor/execute.js';
export type { EvalDefinitionRuntime, ExecuteOptions, ExecuteOutcome } from '../core/types.js';
export { createRunScope, type RunScope } from '../fixtures/scope.js';
export { fixtureFilesFor, FIXTURE_FILE_NAMES } from '../fixtures/visibility.js';
export { datasetFingerprint } from '../datasets/fingerprint.js';
