// Test helpers: find the real tools, run them, and keep key files in a private temp dir.

import {execFile} from 'node:child_process';
import {accessSync, constants} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import assert from 'node:assert/strict';
import type {TestContext} from 'node:test';

/** Output of a finished command; never throws on a non-zero exit. */
export interface RunResult {
	readonly code: number;
	readonly stdout: string;
	readonly stderr: string;
}

// openvpn lives in /usr/sbin, which is not on every user's PATH.
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Absolute path of `command`, or undefined when it is not installed. */
export function findTool(command: string): string | undefined {
	for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...EXTRA_DIRS]) {
		if (dir === '') {
			continue;
		}

		try {
			accessSync(join(dir, command), constants.X_OK);
			return join(dir, command);
		} catch {
			// Not here; try the next directory.
		}
	}

	return undefined;
}

/**
 * The path of a tool the test needs. When it is missing the test is skipped with the install command,
 * except under CI=true, where a missing tool fails the test: CI must never pass by skipping.
 */
export function requireTool(t: TestContext, command: string, aptPackage: string): string | undefined {
	const path = findTool(command);
	if (path !== undefined) {
		return path;
	}

	const reason = `${command} is not installed (apt-get install -y ${aptPackage})`;
	if (process.env.CI === 'true') {
		assert.fail(`${reason}; CI=true never skips`);
	}

	t.skip(reason);
	return undefined;
}

/** Runs a program without a shell and collects its output. */
export async function run(file: string, args: readonly string[], options: {input?: string; cwd?: string; timeoutMs?: number} = {}): Promise<RunResult> {
	return new Promise(resolve => {
		const child = execFile(file, args, {cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
			const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
			resolve({code, stdout, stderr});
		});
		// A program may exit without reading its input; the exit code tells what happened, not EPIPE.
		child.stdin?.on('error', () => {});
		if (options.input === undefined) {
			child.stdin?.end();
		} else {
			child.stdin?.end(options.input);
		}
	});
}

/** A fresh mkdtemp directory; files written through it are 0600. */
export interface TempDir {
	readonly path: string;
	/** Writes `name` (mode 0600) and returns its absolute path. */
	write(name: string, content: string | Uint8Array): Promise<string>;
	remove(): Promise<void>;
}

/** Makes a private temp dir; call `remove` from an `after` hook. */
export async function makeTempDir(): Promise<TempDir> {
	const path = await mkdtemp(join(tmpdir(), 'waymark-keys-'));
	return {
		path,
		async write(name, content) {
			const file = join(path, name);
			await writeFile(file, content, {mode: 0o600});
			return file;
		},
		async remove() {
			await rm(path, {recursive: true, force: true});
		},
	};
}

/**
 * Runs `sshd ARGS` (e.g. `-T -f FILE`), which refuses to start without its privilege separation directory /run/sshd.
 * A fresh machine has none until sshd first ran, so as root it runs in a private mount namespace with a /run of its own;
 * the machine's /run is never touched and nothing an earlier install left behind is relied on.
 */
export async function runSshd(t: TestContext, args: readonly string[]): Promise<RunResult | undefined> {
	const sshd = requireTool(t, 'sshd', 'openssh-server');
	if (sshd === undefined) {
		return undefined;
	}

	if (process.getuid?.() === 0) {
		const script = 'mount -t tmpfs -o mode=0755 tmpfs /run && mkdir -m 0755 /run/sshd && exec "$0" "$@"';
		return run('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, sshd, ...args]);
	}

	return run(sshd, args);
}
