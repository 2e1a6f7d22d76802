// The MaaS database steps as Ansible tasks: the same files as the steps write (the password read from the vault on
// the controller, never in the project), MariaDB restarted on its new address with the same take-back, and the
// grants loaded when the file changed or MariaDB lacks the user, the database or the grant.
import {join} from 'node:path';
import type {AnsibleStep, AnsibleTask} from '../../source/engine/types.js';
import {quote} from '../../source/targets/quote.js';
import {shellHandler, vaultLookup} from '../common/ansible-tasks.js';
import {vaultDir} from '../common/operator-vault.js';
import {clientText, type DbPlace, dbPaths, grantsText, listenText} from './maas-database.js';

/** The password's vault file; its text is the password, nothing around it. */
export function dbPasswordPath(vault: Parameters<typeof vaultDir>[0], wizard: string): string {
	return join(vaultDir(vault, wizard, 'database'), 'password');
}

// Letters and digits, as the password is made: it stands for the password in a file's text until the play reads it.
const placeholder = 'WAYMARKPASSWORDFROMTHEVAULT';

/** A root-only file whose text holds the password, copied with the password from the vault and kept out of the log. */
function secretCopy(name: string, path: string, text: string, password: string, notify?: string): AnsibleTask {
	return {
		name,
		'ansible.builtin.copy': {dest: path, content: text.replaceAll(placeholder, vaultLookup(password)), mode: '0600', owner: 'root', group: 'root'},
		no_log: true,
		...(notify === undefined ? {} : {notify}),
	};
}

export interface DbAnsibleOptions {
	readonly place: DbPlace;
	readonly address: string;
	readonly wizard: string;
	readonly step: string;
	/** The password's vault file on the controller. */
	readonly password: string;
	/** The query whose three counts say whether the user, the database and the grant exist. */
	readonly stateQuery: string;
	readonly restartScript: string;
}

export function dbServerAnsible(options: DbAnsibleOptions): AnsibleStep {
	const {place, address} = options;
	const restart = 'Restart MariaDB on the new address (taken back if it will not start)';
	const made = `Make the database ${place.name} and the user ${place.user}@${place.from}`;
	const load = `mariadb < ${quote(dbPaths.grants)}`;
	const listen: AnsibleTask[] = place.apart
		? [
				{
					name: 'Whether this MariaDB takes a list in bind-address (10.11 and later)',
					'ansible.builtin.shell': 'mariadbd --version 2>/dev/null || mysqld --version',
					register: 'waymark_mariadb_version',
					changed_when: false,
					check_mode: false,
				},
				{
					name: `MariaDB listens on ${address} too (a drop-in after Debian's 50-server.cnf)`,
					'ansible.builtin.copy': {
						dest: dbPaths.listen,
						// As takesAddressList: a list unless the version says 10.10 or older.
						content: `{% set v = waymark_mariadb_version.stdout | regex_search(' Ver ([0-9]+)[.]([0-9]+)', '\\\\1', '\\\\2') %}{% if v and (v[0] | int < 10 or (v[0] | int == 10 and v[1] | int < 11)) %}${listenText(address, options.wizard, options.step, false)}{% else %}${listenText(address, options.wizard, options.step, true)}{% endif %}`,
						mode: '0644',
						owner: 'root',
						group: 'root',
					},
					notify: restart,
				},
			]
		: [];
	return {
		preflight: place.apart
			? [
					{
						name: "The host's own addresses",
						'ansible.builtin.command': 'hostname -I',
						register: 'waymark_own_addresses',
						changed_when: false,
						check_mode: false,
					},
					{
						name: 'Refuse a dbAddress the host does not have, or a webAddress that is its own, as the step refuses them',
						'ansible.builtin.fail': {
							msg: `dbAddress ${address} must be an address of {{ inventory_hostname }} and webAddress ${place.from} must not be (it has {{ waymark_own_addresses.stdout | trim }}); fix the answers, export again and rerun.`,
						},
						when: `'${address}' not in waymark_own_addresses.stdout.split() or '${place.from}' in waymark_own_addresses.stdout.split()`,
					},
				]
			: [],
		tasks: [
			...listen,
			secretCopy(
				`The statements that make the database ${place.name} and the user ${place.user}@${place.from}, root only`,
				dbPaths.grants,
				grantsText(place, placeholder, options.wizard, options.step),
				options.password,
				made,
			),
			{name: 'Take the new address and the statements now', 'ansible.builtin.meta': 'flush_handlers'},
			{
				name: 'Whether MariaDB has the user, the database and the grant',
				'ansible.builtin.command': {argv: ['mariadb', '-N', '-B', '-e', options.stateQuery]},
				register: 'waymark_db_state',
				changed_when: false,
				failed_when: false,
				check_mode: false,
			},
			{
				name: `Make the database ${place.name} and the user ${place.user}@${place.from} (MariaDB lacks one of them)`,
				'ansible.builtin.shell': load,
				when: "waymark_db_state.rc != 0 or '0' in waymark_db_state.stdout.split()",
				changed_when: true,
			},
		],
		// In this order when both are notified: the new address first, then the statements.
		handlers: [shellHandler(restart, options.restartScript), shellHandler(made, load)],
	};
}

export function dbClientAnsible(options: {place: DbPlace; wizard: string; step: string; password: string}): AnsibleStep {
	// Read here, not at load: this module and maas-database.ts import each other.
	const clientDir = dbPaths.client.slice(0, dbPaths.client.lastIndexOf('/'));
	return {
		tasks: [
			// As Waymark writes the file: a missing directory is made 0755, an existing one left as it is.
			{name: `Whether ${clientDir} exists`, 'ansible.builtin.stat': {path: clientDir, get_checksum: false}, register: 'waymark_client_dir'},
			{
				name: `${clientDir} where it is missing`,
				'ansible.builtin.file': {path: clientDir, state: 'directory', mode: '0755'},
				when: 'not waymark_client_dir.stat.exists',
			},
			secretCopy(
				`${dbPaths.client}: the web server's login to ${options.place.name}, root only`,
				dbPaths.client,
				clientText(options.place, placeholder, options.wizard, options.step),
				options.password,
			),
		],
	};
}
