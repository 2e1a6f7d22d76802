import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {LocalTarget} from '../../source/targets/local.js';
import {TargetError} from '../../source/engine/target.js';

let dir = '';
const target = new LocalTarget();

before(() => {
	dir = mkdtempSync(join(tmpdir(), 'waymark-local-'));
});

after(() => {
	rmSync(dir, {recursive: true, force: true});
});

test('facts come back exactly, in one batch', async () => {
	writeFileSync(join(dir, 'with-newline'), 'a\nb\n');
	writeFileSync(join(dir, 'without-newline'), 'a\nb');
	writeFileSync(join(dir, 'empty'), '');
	const facts = await target.facts([
		{kind: 'file', key: 'nl', path: join(dir, 'with-newline')},
		{kind: 'file', key: 'nonl', path: join(dir, 'without-newline')},
		{kind: 'file', key: 'empty', path: join(dir, 'empty')},
		{kind: 'file', key: 'missing', path: join(dir, 'nope')},
		{kind: 'dir', key: 'dir', path: dir},
		{kind: 'dir', key: 'nodir', path: join(dir, 'with-newline')},
		{kind: 'command', key: 'rc', command: 'echo out; exit 3'},
		{kind: 'command', key: 'exit', command: 'exit 0'},
		{kind: 'command', key: 'after', command: 'printf "still here"'},
	]);
	assert.deepEqual(
		[...facts.values()].map(fact => [fact.key, fact.exists, fact.text, fact.exitCode]),
		[
			['nl', true, 'a\nb\n', 0],
			['nonl', true, 'a\nb', 0],
			['empty', true, '', 0],
			['missing', false, '', 1],
			['dir', true, '', 0],
			['nodir', false, '', 1],
			['rc', true, 'out\n', 3],
			['exit', true, '', 0],
			['after', true, 'still here', 0],
		],
	);
});

test("a file fact carries the file's mode", async () => {
	const file = join(dir, 'moded');
	writeFileSync(file, 'x');
	chmodSync(file, 0o640);
	const fact = (await target.facts([{kind: 'file', key: 'f', path: file}])).get('f');
	assert.equal(fact?.mode, 0o640);
	assert.equal(fact?.text, 'x');
});

test('write is atomic, keeps the mode, and backs up the original once', async () => {
	const file = join(dir, 'config');
	const backup = join(dir, 'backups', 'config');
	writeFileSync(file, 'one\n');
	chmodSync(file, 0o640);
	await target.write(file, 'two\n', {backupPath: backup});
	await target.write(file, 'three\n', {backupPath: backup});
	assert.equal(readFileSync(file, 'utf8'), 'three\n');
	assert.equal(statSync(file).mode & 0o777, 0o640);
	assert.equal(readFileSync(backup, 'utf8'), 'one\n');
});

test('a new file gets the asked mode; a secret always gets it', async () => {
	const file = join(dir, 'secret');
	writeFileSync(file, 'old');
	chmodSync(file, 0o644);
	await target.write(file, 'key', {mode: 0o600, forceMode: true});
	assert.equal(statSync(file).mode & 0o777, 0o600);
	const fresh = join(dir, 'sub', 'fresh');
	await target.write(fresh, 'x', {mode: 0o600});
	assert.equal(statSync(fresh).mode & 0o777, 0o600);
	// A new parent directory is an ordinary one: services that read the file can enter it.
	assert.equal(statSync(join(dir, 'sub')).mode & 0o777, 0o755);
});

test('a rejected candidate leaves the file untouched', async () => {
	const file = join(dir, 'validated');
	writeFileSync(file, 'good\n');
	await assert.rejects(
		target.write(file, 'bad\n', {validateCandidate: 'grep -q good {}'}),
		(error: unknown) => error instanceof TargetError && /validator rejected/.test(error.message),
	);
	assert.equal(readFileSync(file, 'utf8'), 'good\n');
});

test('a failed in-place check restores the previous content, or removes a new file', async () => {
	const file = join(dir, 'in-place');
	writeFileSync(file, 'before\n');
	await assert.rejects(target.write(file, 'after\n', {validateInPlace: `! grep -q after ${file}`}), TargetError);
	assert.equal(readFileSync(file, 'utf8'), 'before\n');
	const created = join(dir, 'created');
	await assert.rejects(target.write(created, 'x', {validateInPlace: 'false'}), TargetError);
	assert.equal(existsSync(created), false);
});

test('no temporary files are left behind', async () => {
	const leftovers = (await target.run(`ls -a ${dir} | grep -c waymark || true`)).stdout.trim();
	assert.equal(leftovers, '0');
});

test('lines stream as they come and output stays bounded', async () => {
	const lines: string[] = [];
	const result = await target.run('i=0; while [ $i -lt 5000 ]; do echo line$i; i=$((i+1)); done', {onLine: line => lines.push(line)});
	assert.equal(result.exitCode, 0);
	assert.equal(lines.length, 5000);
	assert.equal(lines.at(-1), 'line4999');
	assert.ok(result.stdout.split('\n').length <= 200);
});

test('the same read asked by several steps runs once, and each key gets its answer', async () => {
	const counter = join(dir, 'reads');
	const command = `echo x >> ${counter}; echo answer`;
	const facts = await target.facts([
		{kind: 'command', key: 'a:uname', command},
		{kind: 'file', key: 'a:hosts', path: join(dir, 'with-newline')},
		{kind: 'command', key: 'b:uname', command},
		{kind: 'file', key: 'b:hosts', path: join(dir, 'with-newline')},
	]);
	assert.deepEqual(
		[...facts.values()].map(fact => [fact.key, fact.text]),
		[
			['a:uname', 'answer\n'],
			['a:hosts', 'a\nb\n'],
			['b:uname', 'answer\n'],
			['b:hosts', 'a\nb\n'],
		],
	);
	assert.equal(readFileSync(counter, 'utf8'), 'x\n', 'the command ran once');
});
