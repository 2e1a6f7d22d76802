// Target specs as typed on the command line: `local`, `ssh:[USER@]HOST[:PORT]`, `root:DIR`.
import {isIpv4} from '../engine/params.js';

export type TargetSpec =
	| {readonly kind: 'local'}
	| {readonly kind: 'ssh'; readonly user?: string; readonly host: string; readonly port?: number}
	| {readonly kind: 'root'; readonly dir: string};

export const targetSpecForm = 'local, ssh:[USER@]HOST[:PORT] or root:DIR (DIR absolute)';

const userPattern = /^[a-z_][\w.-]{0,31}$/i;
// Also accepts an alias from ~/.ssh/config, which may contain underscores.
const hostPattern = /^(?!-)[\w.-]{1,253}$/;

/** Parses one spec; the error names the expected form. */
export function parseTargetSpec(text: string): {spec?: TargetSpec; error?: string} {
	const fail = (why: string) => ({error: `${JSON.stringify(text)}: ${why}; expected ${targetSpecForm}`});
	if (text === 'local') {
		return {spec: {kind: 'local'}};
	}

	if (text.startsWith('root:')) {
		const dir = text.slice(5);
		if (!/^\/[\w.@%+=:,/-]*$/.test(dir) || dir.split('/').includes('..') || dir.length > 1024) {
			return fail('the directory must be an absolute path of ordinary characters');
		}

		if (/^\/+$/.test(dir)) {
			// root:/ would be this machine, written without the lockout guard and with every command deferred.
			return {
				error: `${JSON.stringify(text)}: that is this machine's own /; use --target local to set up this machine (commands run, lockout steps are guarded)`,
			};
		}

		return {spec: {kind: 'root', dir: dir.length > 1 ? dir.replace(/\/+$/, '') : dir}};
	}

	if (text.startsWith('ssh:')) {
		const match = /^(?:([^@]+)@)?([^:@]+)(?::(\d+))?$/.exec(text.slice(4));
		if (!match) {
			return fail('not of the form [USER@]HOST[:PORT]');
		}

		const [, user, host, port] = match;
		if (user !== undefined && !userPattern.test(user)) {
			return fail(`${JSON.stringify(user)} is not a valid user name`);
		}

		if (!hostPattern.test(host!) && !isIpv4(host!)) {
			return fail(`${JSON.stringify(host)} is not a valid host name`);
		}

		if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) {
			return fail(`port ${port} is out of range 1-65535`);
		}

		return {spec: {kind: 'ssh', user, host: host!, ...(port === undefined ? {} : {port: Number(port)})}};
	}

	return fail('unknown kind of target');
}

/** The short name used in output, run state and step keys. */
export function specLabel(spec: TargetSpec): string {
	switch (spec.kind) {
		case 'local': {
			return 'local';
		}

		case 'root': {
			return `root:${spec.dir}`;
		}

		case 'ssh': {
			return `ssh:${spec.user ? `${spec.user}@` : ''}${spec.host}${spec.port ? `:${spec.port}` : ''}`;
		}
	}
}
