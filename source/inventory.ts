// Ansible INI inventories (the guide's `hosts` file) as role bindings, so an operator who has one types no hosts again.
import {UsageError} from './engine/errors.js';
import {parseTargetSpec} from './targets/spec.js';

interface HostLine {
	readonly name: string;
	readonly vars: Record<string, string>;
}

/** `key=value` words, values optionally quoted. */
function parseVars(words: readonly string[]): Record<string, string> {
	return Object.fromEntries(
		words.map(word => {
			const at = word.indexOf('=');
			return at === -1 ? [word, 'true'] : [word.slice(0, at), word.slice(at + 1).replaceAll(/^["']|["']$/g, '')];
		}),
	);
}

/** A group name matches a role exactly or as its plural (`hypervisors` → `hypervisor`, `webservers` → `webserver`). */
function roleOf(group: string, roles: readonly string[]): string | undefined {
	return roles.find(role => role === group || `${role}s` === group || role === `${group}s`);
}

/**
 * Reads groups, hosts and `[group:vars]` / `[all:vars]`; each host becomes `ssh:[USER@]HOST[:PORT]` from
 * `ansible_host`, `ansible_user`, `ansible_port` (or `host:port`). Groups of other tools (`[group:children]`) are refused by name.
 */
export function inventoryBindings(text: string, roles: readonly string[], file = 'inventory'): Record<string, string[]> {
	const groups = new Map<string, HostLine[]>();
	const groupVars = new Map<string, Record<string, string>>();
	let section: {group: string; kind: 'hosts' | 'vars'} | undefined;
	const problems: string[] = [];
	for (const [index, raw] of text.split(/\r?\n/).entries()) {
		const line = raw.replace(/\s+[#;].*$/, '').trim();
		if (line === '' || line.startsWith('#') || line.startsWith(';')) {
			continue;
		}

		const header = /^\[([\w.-]+)(?::(vars|children))?\]$/.exec(line);
		if (header) {
			if (header[2] === 'children') {
				problems.push(`${file}:${index + 1}: [${header[1]}:children] groups of groups are not supported; list the hosts in the role's group`);
				section = undefined;
				continue;
			}

			section = {group: header[1]!, kind: header[2] === 'vars' ? 'vars' : 'hosts'};
			if (section.kind === 'hosts' && !groups.has(section.group)) {
				groups.set(section.group, []);
			}

			continue;
		}

		if (!section) {
			problems.push(`${file}:${index + 1}: a host outside any [group]: ${JSON.stringify(line)}`);
			continue;
		}

		const [first = '', ...rest] = line.split(/\s+/);
		if (section.kind === 'vars') {
			groupVars.set(section.group, {...groupVars.get(section.group), ...parseVars([first, ...rest])});
		} else {
			groups.get(section.group)!.push({name: first, vars: parseVars(rest)});
		}
	}

	const bindings: Record<string, string[]> = {};
	for (const [group, hosts] of groups) {
		const role = roleOf(group, roles);
		if (!role) {
			problems.push(`${file}: group [${group}] is not a role of this guide; its roles: ${roles.join(', ')}`);
			continue;
		}

		for (const host of hosts) {
			const vars = {...groupVars.get('all'), ...groupVars.get(group), ...host.vars};
			const hostPort = /^([^:\s]+):(\d+)$/.exec(host.name);
			const address = vars.ansible_host ?? hostPort?.[1] ?? host.name;
			const port = vars.ansible_port ?? hostPort?.[2];
			const user = vars.ansible_user;
			const spec = `ssh:${user ? `${user}@` : ''}${address}${port ? `:${port}` : ''}`;
			const {error} = parseTargetSpec(spec);
			if (error) {
				problems.push(`${file}: host ${host.name} in [${group}]: ${error}`);
			} else {
				bindings[role] = [...(bindings[role] ?? []), spec];
			}
		}
	}

	if (problems.length > 0) {
		throw new UsageError(
			`The inventory has problems:\n${problems.map(problem => `  - ${problem}`).join('\n')}`,
			'Fix the file (an Ansible INI inventory: [group] then one host per line), or pass --target ROLE=SPEC instead.',
		);
	}

	return bindings;
}
