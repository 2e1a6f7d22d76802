// The exported tasks that edit files the OS owns, run by real Ansible (`ansible localhost -m MODULE`) on copies of
// real-world fixtures: the same bytes as Waymark's own edit of the same file, and nothing changed on a second run.
import assert from 'node:assert/strict';
import {copyFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {execa} from 'execa';
import {commentOutCgroupLines} from '../../source/edits/fstab.js';
import {addNssModule} from '../../source/edits/nsswitch.js';
import {addPamLine} from '../../source/edits/pam.js';
import {resolveAnswers} from '../../source/engine/params.js';
import {setIniValues} from '../../source/edits/ini.js';
import type {AnsibleTask, Wizard} from '../../source/engine/types.js';
import {hypervisors} from '../../wizards/hypervisors/index.js';
import {uwsgiNode} from '../../wizards/uwsgi-node/index.js';
import {ansibleSkipReason} from '../lab/packages.js';
import {repoRoot} from './cli.js';

const skip = await ansibleSkipReason();
const base = mkdtempSync(join(tmpdir(), 'waymark-export-edits-'));
after(() => {
	rmSync(base, {recursive: true, force: true});
});

const answersOf: Readonly<Record<string, Record<string, unknown>>> = {
	'uwsgi-node': {publicIp: '192.0.2.10', apiDomain: 'node1.example.test'},
	hypervisors: {operatorUser: 'spike', maasAddress: '192.0.2.20'},
};

/** The step's tasks as the export writes them. */
function exportedTasks(stepId: string, wizard: Wizard = uwsgiNode): readonly AnsibleTask[] {
	const step = wizard.steps.find(each => each.id === stepId);
	const {answers} = resolveAnswers(wizard, answersOf[wizard.id] ?? {});
	return step?.ansible?.({answers, target: {kind: 'ssh', label: 'ansible:node'}, bindings: {}, secrets: new Map()}).tasks ?? [];
}

/** The arguments of the step's task that uses `module`. */
function argsOf(tasks: readonly AnsibleTask[], module: string): Record<string, unknown> {
	const task = tasks.find(each => module in each);
	assert.ok(task, `a ${module} task`);
	return task[module] as Record<string, unknown>;
}

/** Runs one module on this machine through Ansible itself (Waymark's own from assets/ansible); whether it changed the file. */
async function ansible(module: string, args: Record<string, unknown>): Promise<boolean> {
	const result = await execa('ansible', ['localhost', '-m', module, '-a', JSON.stringify(args)], {
		reject: false,
		all: true,
		env: {
			ANSIBLE_LOCALHOST_WARNING: 'false',
			ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
			ANSIBLE_NOCOLOR: '1',
			ANSIBLE_LIBRARY: join(repoRoot, 'assets/ansible'),
		},
	});
	assert.equal(result.exitCode, 0, String(result.all));
	return /\| CHANGED/.test(String(result.all));
}

/** The edit's tasks in order, as the play runs them on `path`: whether anything changed. */
type Apply = (tasks: readonly AnsibleTask[], path: string) => Promise<boolean>;

const replaceOnly: Apply = async (tasks, path) => {
	const {backup: _backup, ...args} = argsOf(tasks, 'ansible.builtin.replace');
	return ansible('ansible.builtin.replace', {...args, path});
};

// The grep that says whether the line is there, then the replace only when it is not (rc 1), as the play does.
const guardedReplace: Apply = async (tasks, path) => {
	const grep = tasks.map(task => task['ansible.builtin.command'] as {argv?: string[]} | undefined).find(command => command?.argv?.[0] === 'grep');
	assert.ok(grep?.argv, 'a grep task says whether the line is there');
	const argv = grep.argv.map((word, index, all) => (index === all.length - 1 ? path : word));
	const present = await execa(argv[0]!, argv.slice(1), {reject: false});
	assert.ok(present.exitCode === 0 || present.exitCode === 1, present.stderr);
	return present.exitCode === 1 ? replaceOnly(tasks, path) : false;
};

// Waymark's INI module on the file the task names (php.ini or pool.d/www.conf under the php-fpm directory).
const iniModule =
	(file: string): Apply =>
	async (tasks, path) => {
		const task = tasks.find(each => 'waymark_ini' in each && String((each['waymark_ini'] as {path: string}).path).endsWith(file));
		assert.ok(task, `a waymark_ini task on ${file}`);
		const {backup: _backup, ...args} = task['waymark_ini'] as Record<string, unknown>;
		return ansible('waymark_ini', {...args, path});
	};

// Debian and Ubuntu layouts; a PAM file without a pam_env session line (RHEL's) is a gap the export names.
const cases: ReadonlyArray<{step: string; wizard?: Wizard; fixtures: readonly string[]; apply: Apply; waymark: (text: string) => string}> = [
	{
		step: 'php-fpm-settings',
		wizard: hypervisors,
		fixtures: ['php/debian-12-php.ini-production', 'php/odd-php.ini'],
		apply: iniModule('/php.ini'),
		waymark: text => setIniValues(text, 'PHP', {'cgi.fix_pathinfo': '0', post_max_size: '200M'}).text,
	},
	{
		step: 'php-fpm-settings',
		wizard: hypervisors,
		fixtures: ['php/debian-12-www.conf'],
		apply: iniModule('/www.conf'),
		waymark: text => setIniValues(text, 'www', {listen: '127.0.0.1:9000'}).text,
	},
	{
		step: 'nss-module',
		fixtures: ['nsswitch/debian-12-nsswitch.conf', 'nsswitch/ubuntu-13.10-nsswitch.conf'],
		apply: replaceOnly,
		waymark: text => addNssModule(text, {databases: ['passwd', 'group', 'shadow'], module: 'unbit'}).text,
	},
	{
		step: 'cgroups',
		fixtures: ['fstab/uwsgi-it-guide-fstab', 'fstab/debian-12-installer-fstab', 'fstab/hand-edited-fstab', 'fstab/ubuntu-22.04-cloudimg-fstab'],
		apply: replaceOnly,
		waymark: text => commentOutCgroupLines(text).text,
	},
	{
		step: 'pam-session',
		fixtures: ['pam/debian-12-sshd'],
		apply: guardedReplace,
		waymark: text => addPamLine(text, {line: 'session required pam_unbit.so', after: {type: 'session', module: 'pam_env.so'}}).text,
	},
];

describe('exported edits under real Ansible', {skip}, () => {
	for (const each of cases) {
		for (const fixture of each.fixtures) {
			test(`${each.step} on ${fixture}: the bytes Waymark writes, and no change the second time`, async () => {
				const path = join(base, `${each.step}-${fixture.replaceAll('/', '-')}`);
				const source = join(repoRoot, 'test/fixtures', fixture);
				copyFileSync(source, path);
				const tasks = exportedTasks(each.step, each.wizard);
				const wanted = each.waymark(readFileSync(source, 'utf8'));
				assert.equal(await each.apply(tasks, path), wanted !== readFileSync(source, 'utf8'));
				assert.equal(readFileSync(path, 'utf8'), wanted);
				assert.equal(await each.apply(tasks, path), false);
			});
		}
	}
});
