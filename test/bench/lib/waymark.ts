// The waymark command as an operator starts it (bin/waymark), on the bundle: rebuilt whenever a source is newer.
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const waymarkBin = join(repoRoot, 'bin/waymark');
/** The Node the project installs (what bin/waymark runs on). */
export const projectNode = existsSync(join(repoRoot, 'node_modules/node/bin/node')) ? join(repoRoot, 'node_modules/node/bin/node') : process.execPath;

let rebuilds = 0;

function stale(): boolean {
	const built = join(repoRoot, 'dist/cli.js');
	if (!existsSync(built)) return true;
	const newer = execFileSync('find', [join(repoRoot, 'source'), join(repoRoot, 'wizards'), '-newer', built, '-print', '-quit'], {encoding: 'utf8'});
	return newer.trim() !== '';
}

/** Builds dist/ when a file under source/ or wizards/ is newer than it, so bin/waymark runs the bundle; returns how often it rebuilt. */
export function ensureBundle(): number {
	if (stale()) {
		execFileSync(process.execPath, ['--import', 'tsx', 'source/build/bundle.ts'], {cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit']});
		rebuilds++;
	}

	return rebuilds;
}

/** argv of `waymark …`. */
export function waymark(...args: string[]): string[] {
	return [waymarkBin, ...args];
}
