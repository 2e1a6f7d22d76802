// `npm run build`: the CLI as one ESM entry (dist/cli.js) plus chunks that load only when a command needs them, with
// React in production mode. A bundle starts in a fraction of the time the same code takes as some 1,800 separate
// modules (measured: `waymark --help` 0.75 s from tsc's output, 0.05 s bundled), and bin/waymark runs it while it is
// newer than every source file. esbuild is the bundler tsx already brings; it is named in devDependencies for this.
import {rmSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build, type Plugin} from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outdir = resolve(process.argv[2] ?? join(root, 'dist'));

// Ink imports its devtools bridge only when DEV=true; the package behind it is not installed, so it resolves to nothing.
const noDevtools: Plugin = {
	name: 'no-devtools',
	setup(bundler) {
		bundler.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'no-devtools'}));
		bundler.onLoad({filter: /.*/, namespace: 'no-devtools'}, () => ({contents: 'export default {connectToDevTools() {}};', loader: 'js'}));
	},
};

rmSync(outdir, {recursive: true, force: true});
await build({
	entryPoints: {cli: join(root, 'source/cli.ts')},
	outdir,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node22',
	chunkNames: 'chunks/[name]-[hash]',
	// fetch is undefined inside the bundle: nothing in Waymark makes HTTP requests, and yoga's wasm loader only asks
	// whether fetch exists to pick how to read the binary it carries inline; asking loads Node's HTTP client (about
	// 50 ms of the first frame). Without it, yoga decodes the inlined binary directly.
	define: {'process.env.NODE_ENV': '"production"', fetch: 'undefined'},
	// CommonJS packages inside (node-forge, enquirer) call require() for Node's own modules.
	banner: {js: "import {createRequire as __waymarkRequire} from 'node:module'; const require = __waymarkRequire(import.meta.url);"},
	plugins: [noDevtools],
	logLevel: 'warning',
});
