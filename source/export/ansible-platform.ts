// What a host is (container, kernel, systemd), read at the start of each play with the same probes Waymark's steps
// use, so a step that Waymark skips on a container, or does otherwise on an old kernel, does the same under Ansible.
import {containerProbe, systemdProbe} from '../engine/preflight.js';
import type {AnsibleTask} from '../engine/types.js';

/** The facts the platform task sets, for steps' `when:`. */
export const platformFacts = {
	/** True on a container (nspawn, lxc, docker…): no bootloader, no disks, no kernel of its own. */
	container: 'waymark_container',
	/** The kernel's major version, a number. */
	kernelMajor: 'waymark_kernel_major',
	/** systemd runs as init. */
	systemd: 'waymark_systemd',
} as const;

// One JSON object (no value holds a quote: a kernel release, a container kind, yes or no), read with from_json.
const script = [
	'k=$(uname -r)',
	// The probe's last line, as Waymark parses it: an empty answer means none.
	`c=$( { ${containerProbe}; } 2>/dev/null | tail -n 1)`,
	`s=$( ${systemdProbe} )`,
	'printf \'{"kernel": "%s", "container": "%s", "systemd": "%s"}\\n\' "$k" "${c:-none}" "$s"',
].join('\n');

const platform = 'waymark_platform.stdout | from_json';

export function platformTasks(): AnsibleTask[] {
	return [
		{
			name: '[waymark] What this host is: container, kernel, systemd (read as Waymark reads it)',
			'ansible.builtin.command': {argv: ['/bin/sh', '-c', script]},
			register: 'waymark_platform',
			changed_when: false,
			// Read in --check too: it changes nothing, and the steps' conditions need it.
			check_mode: false,
		},
		{
			name: '[waymark] Remember what this host is',
			'ansible.builtin.set_fact': {
				[platformFacts.container]: `{{ (${platform}).container not in ['', 'none'] }}`,
				[platformFacts.kernelMajor]: `{{ (${platform}).kernel.split('.') | first | int }}`,
				[platformFacts.systemd]: `{{ (${platform}).systemd == 'yes' }}`,
			},
		},
	];
}
