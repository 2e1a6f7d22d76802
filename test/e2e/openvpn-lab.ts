// Helpers for the OpenVPN end-to-end tests: bounded polling, a ping across a tunnel, the secrets a deployment keeps.
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import type {LabHost} from '../lab/lab-host.js';
import {secretPieces} from '../../source/engine/redact.js';

/** Calls `probe` until it returns a value, at most `tries` times `intervalMs` apart; undefined when it never did. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, tries: number, intervalMs: number): Promise<T | undefined> {
	for (let i = 0; i < tries; i++) {
		const found = await probe();
		if (found !== undefined) {
			return found;
		}

		await sleep(intervalMs);
	}

	return undefined;
}

/** A ping from `from`'s network namespace (the machine's ping: the bare image has none) until one answers (30 tries). */
export async function pingsAcross(from: LabHost, address: string): Promise<string> {
	let last = '';
	const ok = await pollUntil(
		async () => {
			const ping = await from.machineExec(['ping', '-n', '-c', '1', '-W', '2', address], {timeoutMs: 10_000});
			last = ping.stdout + ping.stderr;
			return ping.exitCode === 0 ? last : undefined;
		},
		30,
		500,
	);
	assert.ok(ok !== undefined, `no ping from ${from.alias} to ${address} crossed the tunnel: ${last}`);
	return ok;
}

function filesUnder(dir: string): string[] {
	return existsSync(dir)
		? readdirSync(dir, {withFileTypes: true, recursive: true})
				.filter(entry => entry.isFile())
				.map(entry => join(entry.parentPath, entry.name))
		: [];
}

/** The private pieces of everything in the deployment's vault and secrets (public .pub halves may be shown). */
export function keptSecrets(home: string): string[] {
	return [join(home, 'secrets'), join(home, 'vault')]
		.flatMap(dir => filesUnder(dir))
		.filter(file => !file.endsWith('.pub'))
		.flatMap(file => secretPieces(readFileSync(file, 'utf8')))
		.filter(piece => piece.length >= 16);
}
