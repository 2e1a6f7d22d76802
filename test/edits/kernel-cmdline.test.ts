import assert from 'node:assert/strict';
import {test} from 'node:test';
import {EditError} from '../../source/edits/edit-result.js';
import {cmdlineConflicts, cmdlineTxtAdd, effectiveGrubCmdline, grubDropIn, parseCmdline} from '../../source/edits/kernel-cmdline.js';
import {fixture, replaceOnce} from './fixture.js';

const ownDropIn = (words: string) =>
	[
		'# Written by Waymark. update-grub reads this file after /etc/default/grub and the other',
		'# grub.d/*.cfg files; the words below are appended to every kernel command line.',
		`GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX${words}"`,
		'',
	].join('\n');

test('parseCmdline splits /proc/cmdline and keeps quoted words whole', () => {
	assert.deepEqual(parseCmdline(fixture('cmdline/debian-12-proc-cmdline.txt')), [
		'BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64',
		'root=UUID=2f1c5b1e-9d3e-4d4b-8f53-0b6e1c0f7a51',
		'ro',
		'quiet',
	]);
	assert.deepEqual(parseCmdline('  quiet acpi_osi="Windows 2009"\tro -- single  '), ['quiet', 'acpi_osi="Windows 2009"', 'ro', '--', 'single']);
	assert.deepEqual(parseCmdline(''), []);
});

test('grubDropIn creates the drop-in, then leaves it alone', () => {
	const first = grubDropIn(null, {add: ['elevator=cfq']});
	assert.deepEqual(first, {text: ownDropIn(' elevator=cfq'), changed: true});
	assert.deepEqual(grubDropIn(first.text, {add: ['elevator=cfq']}), {text: first.text, changed: false});
	assert.deepEqual(grubDropIn(first.text, {add: []}), {text: first.text, changed: false});
});

test('grubDropIn keeps words already there and appends new ones once', () => {
	const current = ownDropIn(' elevator=cfq');
	const next = grubDropIn(current, {add: ['cgroup_enable=memory', 'elevator=cfq', 'cgroup_enable=memory']});
	assert.deepEqual(next, {text: ownDropIn(' elevator=cfq cgroup_enable=memory'), changed: true});
	assert.equal(grubDropIn(next.text, {add: ['cgroup_enable=memory']}).changed, false);
});

test('grubDropIn removes only the words it is told to', () => {
	const current = ownDropIn(' elevator=cfq cgroup_enable=memory');
	assert.deepEqual(grubDropIn(current, {add: [], remove: ['elevator=cfq']}), {text: ownDropIn(' cgroup_enable=memory'), changed: true});
	assert.equal(grubDropIn(current, {add: [], remove: ['nomodeset']}).changed, false);
});

test('grubDropIn appends its line to a 99-waymark.cfg someone else wrote, without a final newline', () => {
	const current = '# local tweaks\nGRUB_TIMEOUT=3';
	assert.deepEqual(grubDropIn(current, {add: ['elevator=cfq']}), {
		text: '# local tweaks\nGRUB_TIMEOUT=3\nGRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX elevator=cfq"\n',
		changed: true,
	});
});

test('grubDropIn refuses words that would break the shell quoting', () => {
	for (const word of ['a b', 'x="y"', '$(reboot)', '`id`', 'a\\b', '']) {
		assert.throws(
			() => grubDropIn(null, {add: [word]}),
			(error: unknown) => error instanceof EditError && error.code === 'invalid',
		);
	}
});

const cases: Array<{name: string; main: string; dropIns: Array<{name: string; text: string}>; linux: string[]; linuxDefault: string[]}> = [
	{
		name: 'Debian 12 defaults with its init-select.cfg and our drop-in',
		main: fixture('grub/debian-12-default-grub'),
		dropIns: [
			{name: '/etc/default/grub.d/init-select.cfg', text: fixture('grub/debian-12-init-select.cfg')},
			{name: '/etc/default/grub.d/99-waymark.cfg', text: ownDropIn(' elevator=cfq')},
		],
		linux: ['elevator=cfq'],
		linuxDefault: ['quiet'],
	},
	{
		name: 'Ubuntu cloud image: 50-cloudimg-settings.cfg overrides GRUB_CMDLINE_LINUX_DEFAULT',
		main: fixture('grub/ubuntu-22.04-default-grub'),
		dropIns: [
			{name: '99-waymark.cfg', text: ownDropIn(' cgroup_enable=memory')},
			{name: '50-cloudimg-settings.cfg', text: fixture('grub/ubuntu-cloudimg-50-cloudimg-settings.cfg')},
		],
		linux: ['cgroup_enable=memory'],
		linuxDefault: ['console=tty1', 'console=ttyS0'],
	},
	{
		name: 'Ubuntu 13.10 as the guide found it',
		main: fixture('grub/ubuntu-13.10-default-grub'),
		dropIns: [],
		linux: [],
		linuxDefault: ['nomodeset'],
	},
	{
		name: 'drop-ins run in name order and extend each other; non-.cfg files are ignored',
		main: 'GRUB_CMDLINE_LINUX="root=/dev/md2"\nGRUB_CMDLINE_LINUX_DEFAULT=quiet\n',
		dropIns: [
			{name: '10-a.cfg', text: 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT a"\n'},
			{name: '05-b.cfg', text: "GRUB_CMDLINE_LINUX_DEFAULT='b'\n"},
			{name: '99-waymark.cfg.dpkg-old', text: 'GRUB_CMDLINE_LINUX="broken"\n'},
			{name: 'README', text: 'GRUB_CMDLINE_LINUX="broken"\n'},
			{name: '20-c.cfg', text: 'export GRUB_CMDLINE_LINUX="${GRUB_CMDLINE_LINUX} c=1"\n'},
		],
		linux: ['root=/dev/md2', 'c=1'],
		linuxDefault: ['b', 'a'],
	},
	{
		name: 'comments, unset, continuation lines, ${VAR:+...} and multi-line quotes',
		main: [
			'# GRUB_CMDLINE_LINUX="commented"',
			'GRUB_CMDLINE_LINUX="one \\',
			'two" # trailing comment',
			'GRUB_CMDLINE_LINUX_DEFAULT="quiet"; unset GRUB_CMDLINE_LINUX_DEFAULT',
			'GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`',
			'GRUB_CMDLINE_LINUX="${GRUB_CMDLINE_LINUX:+$GRUB_CMDLINE_LINUX }three',
			'four"',
			'X=1 true',
		].join('\n'),
		dropIns: [],
		linux: ['one', 'two', 'three', 'four'],
		linuxDefault: [],
	},
	{
		name: 'assignments inside if are taken as if the condition held',
		main: 'if [ -e /etc/waymark ]; then\n\tGRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX in-if"\nfi\n',
		dropIns: [],
		linux: ['in-if'],
		linuxDefault: [],
	},
];

for (const {name, main, dropIns, linux, linuxDefault} of cases) {
	test(`effectiveGrubCmdline: ${name}`, () => {
		assert.deepEqual(effectiveGrubCmdline(main, dropIns), {linux, linuxDefault});
	});
}

test('cmdlineTxtAdd appends to the one line of Raspberry Pi OS cmdline.txt', () => {
	const text = fixture('cmdline/raspios-bookworm-cmdline.txt');
	const result = cmdlineTxtAdd(text, ['cgroup_enable=memory', 'cgroup_memory=1']);
	assert.deepEqual(result, {
		text: replaceOnce(text, 'plymouth.ignore-serial-consoles\n', 'plymouth.ignore-serial-consoles cgroup_enable=memory cgroup_memory=1\n'),
		changed: true,
	});
	assert.deepEqual(cmdlineTxtAdd(result.text, ['cgroup_memory=1', 'cgroup_enable=memory']), {text: result.text, changed: false});
});

test('cmdlineTxtAdd keeps a missing final newline missing (older Raspbian)', () => {
	const text = fixture('cmdline/raspbian-buster-cmdline.txt');
	assert.ok(!text.endsWith('\n'));
	const result = cmdlineTxtAdd(text, ['cgroup_enable=memory']);
	assert.deepEqual(result, {text: `${text} cgroup_enable=memory`, changed: true});
	assert.equal(cmdlineTxtAdd(result.text, ['cgroup_enable=memory']).changed, false);
});

test('cmdlineTxtAdd edits only the first line and keeps trailing spaces', () => {
	assert.deepEqual(cmdlineTxtAdd('quiet  \nignored line\n', ['a=1']), {text: 'quiet a=1  \nignored line\n', changed: true});
	assert.deepEqual(cmdlineTxtAdd('', ['a=1']), {text: 'a=1', changed: true});
	assert.throws(() => cmdlineTxtAdd('quiet\n', ['two words']), EditError);
	// Words after an unclosed quote would end up inside it.
	assert.throws(
		() => cmdlineTxtAdd('quiet acpi_osi="Linux\n', ['a=1']),
		(error: unknown) => error instanceof EditError && error.code === 'invalid',
	);
});

test('cmdlineConflicts names words that set the same parameter differently', () => {
	const current = parseCmdline(fixture('cmdline/raspbian-buster-cmdline.txt'));
	assert.deepEqual(cmdlineConflicts(current, ['elevator=cfq', 'quiet', 'console=tty1']), ['elevator=deadline']);
	assert.deepEqual(cmdlineConflicts(current, ['elevator=deadline']), []);
});

test('effectiveGrubCmdline reads CRLF files and assignments with redirections', () => {
	assert.deepEqual(effectiveGrubCmdline('GRUB_CMDLINE_LINUX="a b"\r\nGRUB_CMDLINE_LINUX_DEFAULT=quiet >/dev/null 2>&1\r\n', []), {
		linux: ['a', 'b'],
		linuxDefault: ['quiet'],
	});
});
