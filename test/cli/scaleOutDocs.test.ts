/**
 * docs/scale-out.md's GitHub Actions workflows and Kubernetes manifest run as written: each is parsed,
 * its shape checked, and its `doteval` commands run here the way the runner would run them — every
 * matrix job in its own checkout, `${{ … }}` filled in, artifacts copied between jobs, a service
 * container or cluster database played by a real PostgreSQL server — and the experiment must hold
 * every sample exactly once.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { usePostgresServer } from '../postgres/usePostgresServer.js';
import { cliPath, ensureBuilt, makeProject, numbersEval, repoRoot } from './helpers.js';

const server = usePostgresServer({ beforeStart: ensureBuilt });
let project: string;
let work: string;
const ROWS = 24;

before(() => {
	project = makeProject({ 'evals/n.eval.ts': numbersEval('evalNumbers', ROWS, 5, 4) });
	work = mkdtempSync(path.join(tmpdir(), 'doteval-docs-'));
});
after(() => {
	for (const dir of [project, work]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const doc = readFileSync(path.join(repoRoot, 'docs/scale-out.md'), 'utf8');

/** The yaml code block whose first line names `file`. */
function block(file: string): Record<string, any> {
	const found = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((text) => text.split('\n')[0]!.includes(file));
	assert.ok(found, `docs/scale-out.md has a yaml block starting with a comment naming ${file}`);
	return yaml.load(found) as Record<string, any>;
}

/** A database `evals` owned by the role `doteval` (what a service container or the team's server provides). */
function freshTeamDatabase(password: string): string {
	server().psql('postgres', `DROP DATABASE IF EXISTS evals WITH (FORCE)`);
	server().psql('postgres', `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'doteval') THEN CREATE ROLE doteval LOGIN; END IF; END $$`);
	server().psql('postgres', `ALTER ROLE doteval PASSWORD '${password}'`);
	server().psql('postgres', 'CREATE DATABASE evals OWNER doteval');
	return `postgres://doteval@127.0.0.1:${server().port}/evals`;
}

function storedIn(database: string, experiment: string): { count: number; distinct: number } {
	const [count, distinct] = server()
		.psql(
			database,
			`SELECT count(*), count(DISTINCT s.idx) FROM doteval.samples s JOIN doteval.evaluations e ON e.id = s.evaluation_id
		JOIN doteval.experiments x ON x.id = e.experiment_id WHERE x.name = '${experiment}'`,
		)
		.trim()
		.split('|')
		.map(Number);
	return { count: count!, distinct: distinct! };
}

function sh(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
	// `npx doteval` is the project's doteval; here, the CLI under test.
	const command = script.replaceAll('npx doteval', `"${process.execPath}" "${cliPath}"`);
	return new Promise((resolve) => {
		const child = spawn('bash', ['-e', '-c', command], { cwd, env: { ...process.env, DOTEVAL_STORAGE: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d));
		child.stderr.on('data', (d: Buffer) => (out += d));
		child.on('close', (code) => resolve({ code, out }));
	});
}

interface Context {
	vars: Record<string, string>;
	secrets: Record<string, string>;
	/** Rewrites an env value, e.g. a service's localhost:5432 to the test server. */
	rewrite?: (value: string) => string;
}

function expand(text: string, scope: Record<string, unknown>): string {
	return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, name: string) => {
		const value = name.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], scope);
		assert.ok(value !== undefined, `\${{ ${name} }} is not defined`);
		return String(value);
	});
}

/** Runs a workflow's jobs in dependency order, matrix jobs in parallel, each in its own checkout. */
async function runWorkflow(workflow: Record<string, any>, name: string, context: Context): Promise<string[]> {
	const artifacts = path.join(work, name, 'artifacts');
	mkdirSync(artifacts, { recursive: true });
	const done = new Set<string>();
	const outputs: string[] = [];
	const jobs = Object.entries(workflow.jobs as Record<string, any>);
	while (done.size < jobs.length) {
		const ready = jobs.filter(([id, job]) => !done.has(id) && [job.needs ?? []].flat().every((n: string) => done.has(n)));
		assert.ok(ready.length, `${name}: jobs wait on each other`);
		for (const [id, job] of ready) {
			const matrix: Record<string, unknown>[] = job.strategy?.matrix?.shard ? job.strategy.matrix.shard.map((shard: number) => ({ shard })) : [{}];
			await Promise.all(
				matrix.map(async (values, n) => {
					const scope = { vars: context.vars, secrets: context.secrets, matrix: values, github: { run_id: '4242' }, env: {} as Record<string, string> };
					const env: Record<string, string> = {};
					for (const [key, value] of Object.entries({ ...workflow.env, ...job.env })) env[key] = (context.rewrite ?? ((v) => v))(expand(String(value), scope));
					scope.env = env;
					const checkout = path.join(work, name, `${id}-${n}`);
					for (const step of job.steps as Record<string, any>[]) {
						if (step.uses?.startsWith('actions/checkout')) cpSync(project, checkout, { recursive: true });
						else if (step.uses?.startsWith('actions/setup-node')) assert.equal(String(step.with['node-version']), '20');
						else if (step.uses?.startsWith('actions/upload-artifact')) {
							const from = path.join(checkout, expand(step.with.path, scope));
							assert.ok(existsSync(from), `${name}/${id}: the artifact path ${step.with.path} exists`);
							cpSync(from, path.join(artifacts, expand(step.with.name, scope)), { recursive: true });
						} else if (step.uses?.startsWith('actions/download-artifact')) {
							const pattern = new RegExp(`^${String(step.with.pattern).replaceAll('*', '.*')}$`);
							for (const artifact of readdirSync(artifacts).filter((a) => pattern.test(a)))
								cpSync(path.join(artifacts, artifact), path.join(checkout, step.with.path, artifact), { recursive: true });
						} else if (step.run === 'npm ci') {
							// The test project needs no install: the CLI resolves `doteval` to its own runtime.
						} else if (step.run) {
							const result = await sh(expand(step.run, scope), checkout, env);
							outputs.push(result.out);
							assert.equal(result.code, 0, `${name}/${id} (${JSON.stringify(values)}): ${step.run}\n${result.out}`);
						} else assert.fail(`${name}/${id}: a step this test cannot play: ${JSON.stringify(step)}`);
					}
				}),
			);
			done.add(id);
		}
	}
	return outputs;
}

test('the team-database workflow: a 4-shard matrix writes one experiment, the report job shows it', async () => {
	const workflow = block('.github/workflows/evals.yml');
	assert.deepEqual(workflow.jobs.evals.strategy.matrix.shard, [1, 2, 3, 4]);
	assert.match(workflow.jobs.evals.steps.at(-1).run, /--shard \$\{\{ matrix\.shard \}\}\/4/);
	assert.equal(workflow.jobs.report.needs, 'evals');
	const password = 'team-secret-1';
	const url = freshTeamDatabase(password);
	const outputs = await runWorkflow(workflow, 'team', { vars: { DOTEVAL_STORAGE: url }, secrets: { PGPASSWORD: password } });
	assert.deepEqual(storedIn('evals', 'nightly-4242'), { count: ROWS, distinct: ROWS });
	assert.match(outputs.at(-1)!, /Experiment nightly-4242/);
	assert.ok(!outputs.join('').includes(password));
});

test('the service-container workflow: 4 shard processes in one job against its PostgreSQL service', async () => {
	const workflow = block('.github/workflows/evals-service.yml');
	const service = workflow.jobs.evals.services.postgres;
	assert.match(service.image, /^postgres:/);
	// The test server plays the service: the user, password and database its env declares.
	assert.equal(service.env.POSTGRES_DB, 'evals');
	assert.equal(service.env.POSTGRES_USER, 'doteval');
	freshTeamDatabase(service.env.POSTGRES_PASSWORD);
	await runWorkflow(workflow, 'service', { vars: {}, secrets: {}, rewrite: (v) => v.replace('localhost:5432', `127.0.0.1:${server().port}`) });
	assert.deepEqual(storedIn('evals', 'ci'), { count: ROWS, distinct: ROWS });
});

test('the SQLite-plus-merge workflow: 4 shard stores uploaded as artifacts, merged into one', async () => {
	const workflow = block('.github/workflows/evals-sqlite.yml');
	assert.deepEqual(workflow.jobs.evals.strategy.matrix.shard, [1, 2, 3, 4]);
	assert.equal(workflow.jobs.merge.needs, 'evals');
	const outputs = await runWorkflow(workflow, 'sqlite', { vars: {}, secrets: {} });
	assert.match(outputs.join('\n'), new RegExp(`Merged ${ROWS} samples of 1 experiment \\(nightly\\) from 4 stores`));
	assert.match(outputs.at(-1)!, new RegExp(`Errors +0/${ROWS}`));
});

test('the Kubernetes Indexed Job: 4 pods, shard from JOB_COMPLETION_INDEX, password from a Secret', async () => {
	const job = block('evals-job.yaml');
	assert.equal(job.kind, 'Job');
	assert.equal(job.spec.completionMode, 'Indexed');
	assert.equal(job.spec.completions, 4);
	const container = job.spec.template.spec.containers[0];
	assert.deepEqual(container.command, ['sh', '-c']);
	assert.match(container.args[0], /--shard "\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)\/4"/);
	const password = 'k8s-secret-2';
	const url = freshTeamDatabase(password);
	const env: Record<string, string> = {};
	for (const variable of container.env) {
		if (variable.valueFrom) {
			assert.deepEqual(variable.valueFrom.secretKeyRef, { name: 'doteval-db', key: 'password' });
			env[variable.name] = password;
		} else env[variable.name] = String(variable.value).replace(/^postgres:\/\/doteval@[^/]+\/evals$/, url);
	}
	assert.equal(env.DOTEVAL_STORAGE, url, 'the manifest names the cluster database as postgres://doteval@…/evals');
	const pods = await Promise.all(
		Array.from({ length: job.spec.completions }, (_, index) => {
			const app = path.join(work, 'k8s', `pod-${index}`);
			cpSync(project, app, { recursive: true });
			return sh(container.args[0], app, { ...env, JOB_COMPLETION_INDEX: String(index) });
		}),
	);
	pods.forEach((pod, index) => assert.equal(pod.code, 0, `pod ${index}: ${pod.out}`));
	assert.deepEqual(storedIn('evals', 'nightly'), { count: ROWS, distinct: ROWS });
});

test("docs/postgres.md team setup: the administrator's SQL, then each developer's ~/.pgpass and DOTEVAL_STORAGE, work as written", async () => {
	const page = readFileSync(path.join(repoRoot, 'docs/postgres.md'), 'utf8');
	const sql = /```sql\n([\s\S]*?)```/.exec(page)?.[1];
	const shell = /Each developer, once:\n\n```bash\n([\s\S]*?)```/.exec(page)?.[1];
	assert.ok(sql && shell, 'docs/postgres.md has the team setup SQL and the developer shell block');
	const [beforeRun, afterRun] = sql.split(/^-- after the first run.*$/m);
	assert.ok(afterRun, 'the SQL says which grants come after the first run');
	const password: Record<string, string> = { alice: 'her-password', bob: 'his-password' };
	// Statement by statement, as an administrator would paste them; the placeholders filled in: each
	// role's password, and the test's server for db.internal:5432.
	const statements = (text: string) =>
		text
			.replace(/--.*$/gm, '')
			.split(';')
			.map((t) => t.trim())
			.filter(Boolean);
	server().psql('postgres', 'DROP DATABASE IF EXISTS evals WITH (FORCE)');
	for (const role of Object.keys(password)) server().psql('postgres', `DROP ROLE IF EXISTS ${role}`);
	for (const statement of statements(beforeRun!)) {
		server().psql(
			'postgres',
			statement.replace(/CREATE ROLE (\w+) LOGIN PASSWORD '…'/, (_, role: string) => `CREATE ROLE ${role} LOGIN PASSWORD '${password[role]}'`),
		);
	}
	const developer = (name: string) => {
		const home = path.join(work, `home-${name}`);
		mkdirSync(home, { recursive: true });
		const script = shell.replaceAll('alice', name).replace('her-password', password[name]!).replaceAll('db.internal:5432', `127.0.0.1:${server().port}`);
		return {
			home,
			setup: () => sh(script, home, { HOME: home }),
			run: (command: string) => sh(`source ~/.bashrc; ${command}`, project, { HOME: home, PGPASSWORD: '' }),
		};
	};
	const alice = developer('alice');
	const bob = developer('bob');
	for (const d of [alice, bob]) assert.equal((await d.setup()).code, 0);
	const first = await alice.run('npx doteval run evals/ --experiment alice-first');
	assert.equal(first.code, 0, first.out);
	for (const statement of statements(afterRun!)) server().psql('evals', statement);
	const bobRun = await bob.run('npx doteval run evals/ --experiment bob-second && npx doteval list');
	assert.equal(bobRun.code, 0, bobRun.out);
	assert.match(bobRun.out, /alice-first/);
	assert.match(bobRun.out, /bob-second/);
	assert.ok(!bobRun.out.includes(password.bob!));
});
