// The engine stands alone and stays readable: it imports nothing outside source/engine (but node: built-ins and
// its libraries), and no file in it is over 250 lines.
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {repoRoot} from '../e2e/cli.js';

const engine = join(repoRoot, 'source/engine');
const files = readdirSync(engine).filter(name => name.endsWith('.ts'));

test('the engine imports only itself, node built-ins and packages', () => {
	const outward = files.flatMap(name => [...readFileSync(join(engine, name), 'utf8').matchAll(/from '(\.\.\/[^']+)'/g)].map(match => `${name}: ${match[1]!}`));
	assert.deepEqual(outward, []);
});

test('no engine file is over 250 lines', () => {
	const long = files.map(name => [name, readFileSync(join(engine, name), 'utf8').split('\n').length - 1] as const).filter(([, lines]) => lines > 250);
	assert.deepEqual(long, []);
});
