import { createRequire } from 'node:module';
import { Score } from '../core/result.js';
import { accuracy } from '../metrics/metric.js';
import type { EvaluatorOptions } from './evaluator.js';

type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath?: string; message?: string }> | null };
interface AjvLike {
	compile(schema: object): Validate;
}

let requireFn: NodeJS.Require | undefined;
const require = (id: string) => (requireFn ??= createRequire(import.meta.url))(id);
let ajvDraft7: AjvLike | undefined;
let ajv2020: AjvLike | undefined;
const compiled = new WeakMap<object, Validate | Error>();

// ajv is loaded on first use with a schema: evals that never validate JSON do not pay for it.
function ajvFor(schema: Record<string, unknown>): AjvLike {
	const is2020 = typeof schema.$schema === 'string' && schema.$schema.includes('2020-12');
	if (is2020) {
		if (!ajv2020) {
			const mod = require('ajv/dist/2020');
			ajv2020 = new (mod.default ?? mod)({ strict: false, allErrors: false }) as AjvLike;
		}
		return ajv2020;
	}
	if (!ajvDraft7) {
		const mod = require('ajv');
		ajvDraft7 = new (mod.default ?? mod)({ strict: false, allErrors: false }) as AjvLike;
	}
	return ajvDraft7;
}

function validatorFor(schema: object): Validate | Error {
	let v = compiled.get(schema);
	if (!v) {
		try {
			v = ajvFor(schema as Record<string, unknown>).compile(schema);
		} catch (error) {
			v = error instanceof Error ? error : new Error(String(error));
		}
		compiled.set(schema, v);
	}
	return v;
}

/**
 * Pass when `result` is a JSON text (or already-parsed value) that parses, and, with a JSON Schema,
 * validates against it (ajv; draft-07 by default, 2020-12 when the schema's `$schema` says so). An
 * invalid schema fails the score with the reason in its metadata. Feeds `accuracy`.
 * @example validJson(modelResponse, { type: 'object', required: ['answer'] })
 */
export function validJson(result: unknown, schema?: object | null, options: EvaluatorOptions = {}): Score {
	const name = options.name ?? 'validJson';
	const fail = (reason: string) => new Score(name, false, [accuracy], { result, reason });
	let data: unknown;
	if (typeof result === 'string') {
		if (result.trim() === '') return fail('empty response');
		try {
			data = JSON.parse(result.trim());
		} catch (error) {
			return fail(`not JSON: ${(error as Error).message}`);
		}
	} else if (result === null || result === undefined) return fail('no response');
	else data = result;
	if (schema) {
		const validate = validatorFor(schema);
		if (validate instanceof Error) return fail(`invalid JSON Schema: ${validate.message}`);
		if (!validate(data)) {
			const first = validate.errors?.[0];
			return fail(`does not match the schema: ${first?.instancePath || '(root)'} ${first?.message ?? ''}`.trim());
		}
	}
	return new Score(name, true, [accuracy], { result });
}
