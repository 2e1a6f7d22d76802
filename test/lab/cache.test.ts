import assert from 'node:assert/strict';
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';

// Two processes ask for the same cached dir at once: one builds it, the other waits and finds it.
const builder = (root: string, id: string): string =>
	[
		`process.env.WAYMARK_LAB_CACHE = ${JSON.stringify(root)};`,
		`const {cachedDir} = await import(${JSON.stringify(new URL('cache.ts', import.meta.url).href)});`,
		"const {appendFile, writeFile} = await import('node:fs/promises');",
		"const {setTimeout: sleep} = await import('node:timers/promises');",
		`const dir = await cachedDir('things', 'k1', {waitMs: 30000}, async (tmp) => {`,
		`  await appendFile(${JSON.stringify(join(root, 'builds'))}, ${JSON.stringify(`${id}\n`)});`,
		'  await sleep(500);',
		`  await writeFile(tmp + '/made-by', ${JSON.stringify(id)});`,
		'});',
		'console.log(dir);',
	].join('\n');

describe('lab cache', () => {
	let root = '';
	before(async () => {
		root = await mkdtemp(join(tmpdir(), 'waymark-cache-test-'));
	});
	after(async () => rm(root, {recursive: true, force: true}));

	test('two processes build one cached dir once, atomically, under the lock', async () => {
		const [first, second] = await Promise.all(
			['a', 'b'].map(async id => execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', builder(root, id)], {reject: false})),
		);
		assert.equal(first?.exitCode, 0, first?.stderr);
		assert.equal(second?.exitCode, 0, second?.stderr);
		assert.equal(first?.stdout, join(root, 'things', 'k1'));
		assert.equal(second?.stdout, first?.stdout);
		const builds = (await readFile(join(root, 'builds'), 'utf8')).trim().split('\n');
		assert.equal(builds.length, 1, builds.join(','));
		assert.equal(await readFile(join(root, 'things', 'k1', 'made-by'), 'utf8'), builds[0]);
		assert.deepEqual(await readdir(join(root, 'tmp')), []);
	});

	test('a failed build leaves nothing in place, and the next caller builds again', async () => {
		const failing = [
			`process.env.WAYMARK_LAB_CACHE = ${JSON.stringify(root)};`,
			`const {cachedDir} = await import(${JSON.stringify(new URL('cache.ts', import.meta.url).href)});`,
			"await cachedDir('things', 'k2', {waitMs: 30000}, async () => { throw new Error('no network'); });",
		].join('\n');
		const failed = await execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', failing], {reject: false});
		assert.notEqual(failed.exitCode, 0);
		assert.match(failed.stderr, /no network/);
		assert.deepEqual((await readdir(join(root, 'things'))).sort(), ['k1']);
		assert.deepEqual(await readdir(join(root, 'tmp')), []);
	});
});
