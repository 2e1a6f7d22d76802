// The linter and the formatter that `npm test` runs really refuse a violation, with the project's own settings.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {execa} from 'execa';
import {repoRoot} from './e2e/cli.js';

// Inside the tree biome.json covers, so the project's own settings apply; removed afterwards.
const dir = mkdtempSync(join(repoRoot, 'test', 'lint-probe-'));

after(() => {
	rmSync(dir, {recursive: true, force: true});
});

async function check(name: string, text: string) {
	const file = join(dir, name);
	writeFileSync(file, text);
	return execa('node_modules/.bin/biome', ['check', '--vcs-use-ignore-file=false', file], {cwd: repoRoot, reject: false, all: true});
}

test('clean code passes biome check', async () => {
	const result = await check('clean.ts', "import {a} from './a.js';\n\nexport const b = {a};\n");
	assert.equal(result.exitCode, 0, String(result.all));
});

test('a formatting violation fails biome check', async () => {
	const result = await check('spacing.ts', "import {a} from './a.js';\n\nexport const b = { a:a };\n");
	assert.notEqual(result.exitCode, 0);
	assert.match(String(result.all), /Formatter would have printed/);
});

test('a lint violation fails biome check', async () => {
	const result = await check('unused.ts', 'export function f(): number {\n\tconst unused = 1;\n\treturn 2;\n}\n');
	assert.notEqual(result.exitCode, 0);
	assert.match(String(result.all), /noUnusedVariables/);
});
