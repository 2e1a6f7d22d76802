import assert from 'node:assert/strict';
import {test} from 'node:test';
import {EditError} from '../../source/edits/edit-result.js';
import {commentOutCgroupLines, findMount, parseFstab, setMountOptions, type MountOptionsIntent} from '../../source/edits/fstab.js';
import {fixture, replaceOnce} from './fixture.js';

test('parseFstab reads the Debian installer fstab and skips comments', () => {
	assert.deepEqual(parseFstab(fixture('fstab/debian-12-installer-fstab')), [
		{source: 'UUID=6a9d8c3e-0f1b-4d7e-9a2c-3b5e8f1d2c4a', target: '/', fstype: 'ext4', options: ['errors=remount-ro'], dump: 0, pass: 1, line: 11},
		{source: 'UUID=0b7e2a91-5c3d-4f8e-b1a6-9d4c2e7f8a13', target: '/home', fstype: 'ext4', options: ['defaults'], dump: 0, pass: 2, line: 13},
		{source: 'UUID=f3c1d9e2-7a4b-4c8d-9e6f-1a2b3c4d5e6f', target: 'none', fstype: 'swap', options: ['sw'], dump: 0, pass: 0, line: 15},
		{source: '/dev/sr0', target: '/media/cdrom0', fstype: 'udf,iso9660', options: ['user', 'noauto'], dump: 0, pass: 0, line: 16},
	]);
});

test('parseFstab decodes octal escapes and fills missing fields with defaults', () => {
	const entries = parseFstab(fixture('fstab/hand-edited-fstab'));
	assert.deepEqual(entries.at(-1), {
		source: '/dev/disk/by-label/backup disk',
		target: '/mnt/backup disk',
		fstype: 'ext4',
		options: ['noauto', 'user'],
		dump: 0,
		pass: 0,
		line: 5,
	});
	assert.deepEqual(parseFstab('/dev/sdb1 /data\n'), [{source: '/dev/sdb1', target: '/data', fstype: 'auto', options: ['defaults'], dump: 0, pass: 0, line: 0}]);
	assert.deepEqual(parseFstab(fixture('fstab/debian-12-debootstrap-fstab')), []);
});

test('findMount matches with or without a trailing slash and never matches swap', () => {
	const text = fixture('fstab/hand-edited-fstab');
	assert.equal(findMount(text, '/containers')?.source, 'UUID=3e6be9de-8139-11d1-9106-a43f08d823a6');
	assert.equal(findMount(text, '/boot/efi/')?.source, 'LABEL=UEFI');
	assert.equal(findMount(fixture('fstab/hetzner-installimage-raid-fstab'), 'none'), undefined);
});

const quota = {add: ['usrjquota=aquota.user', 'jqfmt=vfsv1']};

// Each case names the whole line before and after; the expected file is the fixture with that line replaced and marked.
const cases: Array<{name: string; file: string; intent: MountOptionsIntent; line: string; after: string}> = [
	{
		name: 'the guide: quota options on the RAID root of a Hetzner install',
		file: 'fstab/hetzner-installimage-raid-fstab',
		intent: {mountpoint: '/', ...quota},
		line: '/dev/md/2 / ext4 defaults 0 0',
		after: '/dev/md/2 / ext4 defaults,usrjquota=aquota.user,jqfmt=vfsv1 0 0',
	},
	{
		name: 'aligned columns: padding after the options shrinks to one space when the options outgrow it',
		file: 'fstab/debian-12-installer-fstab',
		intent: {mountpoint: '/home', add: ['usrquota', 'grpquota']},
		line: 'UUID=0b7e2a91-5c3d-4f8e-b1a6-9d4c2e7f8a13 /home           ext4    defaults        0       2',
		after: 'UUID=0b7e2a91-5c3d-4f8e-b1a6-9d4c2e7f8a13 /home           ext4    defaults,usrquota,grpquota 0       2',
	},
	{
		name: 'aligned columns: a short change keeps the next column where it was',
		file: 'fstab/debian-12-installer-fstab',
		intent: {mountpoint: '/home', add: ['rw']},
		line: 'UUID=0b7e2a91-5c3d-4f8e-b1a6-9d4c2e7f8a13 /home           ext4    defaults        0       2',
		after: 'UUID=0b7e2a91-5c3d-4f8e-b1a6-9d4c2e7f8a13 /home           ext4    defaults,rw     0       2',
	},
	{
		name: 'aligned columns: removing an option widens the padding',
		file: 'fstab/debian-12-installer-fstab',
		intent: {mountpoint: '/media/cdrom0', add: [], remove: ['user']},
		line: '/dev/sr0        /media/cdrom0   udf,iso9660 user,noauto     0       0',
		after: '/dev/sr0        /media/cdrom0   udf,iso9660 noauto          0       0',
	},
	{
		name: 'the Ubuntu cloud image: tabs and the odd space before ext4 stay',
		file: 'fstab/ubuntu-22.04-cloudimg-fstab',
		intent: {mountpoint: '/', add: ['usrquota']},
		line: 'LABEL=cloudimg-rootfs\t/\t ext4\tdiscard,errors=remount-ro\t0 1',
		after: 'LABEL=cloudimg-rootfs\t/\t ext4\tdiscard,errors=remount-ro,usrquota\t0 1',
	},
	{
		name: 'removing the guide options by key and using the ext4 quota feature option instead',
		file: 'fstab/uwsgi-it-guide-fstab',
		intent: {mountpoint: '/', add: ['usrquota'], remove: ['usrjquota', 'jqfmt']},
		line: '/dev/md/2 / ext4 defaults,usrjquota=aquota.user,jqfmt=vfsv1 0 0',
		after: '/dev/md/2 / ext4 defaults,usrquota 0 0',
	},
	{
		name: 'key=value replaces the same key in place',
		file: 'fstab/uwsgi-it-guide-fstab',
		intent: {mountpoint: '/', add: ['jqfmt=vfsv0']},
		line: '/dev/md/2 / ext4 defaults,usrjquota=aquota.user,jqfmt=vfsv1 0 0',
		after: '/dev/md/2 / ext4 defaults,usrjquota=aquota.user,jqfmt=vfsv0 0 0',
	},
	{
		name: 'a hand-edited line with a trailing-slash target and two-space padding',
		file: 'fstab/hand-edited-fstab',
		intent: {mountpoint: '/containers', add: ['usrquota', 'grpquota']},
		line: 'UUID=3e6be9de-8139-11d1-9106-a43f08d823a6   /containers/\txfs  defaults,nofail  0  2',
		after: 'UUID=3e6be9de-8139-11d1-9106-a43f08d823a6   /containers/\txfs  defaults,nofail,usrquota,grpquota 0  2',
	},
	{
		name: 'a line without dump and pass, and a mount point with an escaped space',
		file: 'fstab/hand-edited-fstab',
		intent: {mountpoint: '/mnt/backup disk', add: ['x-systemd.automount']},
		line: '/dev/disk/by-label/backup\\040disk /mnt/backup\\040disk ext4 noauto,user',
		after: '/dev/disk/by-label/backup\\040disk /mnt/backup\\040disk ext4 noauto,user,x-systemd.automount',
	},
	{
		name: 'removing the last option leaves defaults, never an empty field',
		file: 'fstab/debian-12-installer-fstab',
		intent: {mountpoint: '/', add: [], remove: ['errors']},
		line: 'UUID=6a9d8c3e-0f1b-4d7e-9a2c-3b5e8f1d2c4a /               ext4    errors=remount-ro 0       1',
		after: 'UUID=6a9d8c3e-0f1b-4d7e-9a2c-3b5e8f1d2c4a /               ext4    defaults 0       1',
	},
];

for (const {name, file, intent, line, after} of cases) {
	test(`setMountOptions: ${name}`, () => {
		const text = fixture(file);
		const result = setMountOptions(text, intent);
		assert.deepEqual(result, {text: replaceOnce(text, `${line}\n`, `# waymark: was "${line}"\n${after}\n`), changed: true});
		assert.deepEqual(setMountOptions(result.text, intent), {text: result.text, changed: false});
	});
}

test('setMountOptions keeps the first marker when the options change again', () => {
	const text = fixture('fstab/hetzner-installimage-raid-fstab');
	const once = setMountOptions(text, {mountpoint: '/', add: ['usrquota']});
	const twice = setMountOptions(once.text, {mountpoint: '/', add: ['grpquota']});
	assert.equal(
		twice.text,
		replaceOnce(text, '/dev/md/2 / ext4 defaults 0 0\n', '# waymark: was "/dev/md/2 / ext4 defaults 0 0"\n/dev/md/2 / ext4 defaults,usrquota,grpquota 0 0\n'),
	);
});

test('setMountOptions keeps a missing final newline missing', () => {
	const text = '/dev/sda1 / ext4 defaults 0 1';
	assert.deepEqual(setMountOptions(text, {mountpoint: '/', add: ['noatime']}), {
		text: '# waymark: was "/dev/sda1 / ext4 defaults 0 1"\n/dev/sda1 / ext4 defaults,noatime 0 1',
		changed: true,
	});
});

test('setMountOptions changes nothing when the options are already there', () => {
	const text = fixture('fstab/uwsgi-it-guide-fstab');
	assert.deepEqual(setMountOptions(text, {mountpoint: '/', ...quota}), {text, changed: false});
	assert.deepEqual(setMountOptions(text, {mountpoint: '/', add: ['defaults']}), {text, changed: false});
});

test('setMountOptions names the mount point when no line mounts it', () => {
	for (const [file, mountpoint] of [
		['fstab/hetzner-installimage-raid-fstab', '/containers'],
		['fstab/hand-edited-fstab', '/mnt/old'],
		['fstab/debian-12-debootstrap-fstab', '/'],
	] as const) {
		assert.throws(
			() => setMountOptions(fixture(file), {mountpoint, add: ['usrquota']}),
			(error: unknown) => error instanceof EditError && error.code === 'not-found' && error.message.includes(mountpoint),
		);
	}
});

test('setMountOptions refuses a mount point mounted twice, and options that break the field', () => {
	const text = '/dev/sda1 /data ext4 defaults 0 2\n/dev/sdb1 /data/ xfs defaults 0 2\n';
	assert.throws(
		() => setMountOptions(text, {mountpoint: '/data', add: ['noatime']}),
		(error: unknown) => error instanceof EditError && error.code === 'ambiguous',
	);
	for (const option of ['a,b', 'a b', '#x', '']) {
		assert.throws(
			() => setMountOptions(fixture('fstab/hetzner-installimage-raid-fstab'), {mountpoint: '/', add: [option]}),
			(error: unknown) => error instanceof EditError && error.code === 'invalid',
		);
	}
});

test('commentOutCgroupLines disables the guide cgroup line and says why', () => {
	const text = fixture('fstab/uwsgi-it-guide-fstab');
	const result = commentOutCgroupLines(text);
	assert.deepEqual(result, {
		text: replaceOnce(
			text,
			'none /sys/fs/cgroup cgroup blkio,cpuacct,cpu,memory,devices 0 0\n',
			'#none /sys/fs/cgroup cgroup blkio,cpuacct,cpu,memory,devices 0 0  # waymark: disabled, systemd mounts /sys/fs/cgroup itself\n',
		),
		changed: true,
	});
	assert.deepEqual(commentOutCgroupLines(result.text), {text: result.text, changed: false});
	assert.deepEqual(
		parseFstab(result.text).map(entry => entry.target),
		['/proc', 'none', '/boot', '/'],
	);
});

test('commentOutCgroupLines leaves fstabs without cgroup lines alone', () => {
	for (const file of ['fstab/debian-12-installer-fstab', 'fstab/hand-edited-fstab', 'fstab/ubuntu-22.04-cloudimg-fstab', 'fstab/debian-12-debootstrap-fstab']) {
		const text = fixture(file);
		assert.deepEqual(commentOutCgroupLines(text), {text, changed: false});
	}
});

test('commentOutCgroupLines catches cgroup2, per-controller and tmpfs lines under /sys/fs/cgroup', () => {
	const text =
		'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec 0 0\n\tcgroup /sys/fs/cgroup/memory cgroup memory 0 0\ntmpfs /sys/fs/cgroup/ tmpfs defaults 0 0\n/dev/sda1 /sys/fs/cgroupx ext4 defaults 0 0';
	assert.equal(
		commentOutCgroupLines(text).text,
		[
			'#cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec 0 0  # waymark: disabled, systemd mounts /sys/fs/cgroup itself',
			'#\tcgroup /sys/fs/cgroup/memory cgroup memory 0 0  # waymark: disabled, systemd mounts /sys/fs/cgroup itself',
			'#tmpfs /sys/fs/cgroup/ tmpfs defaults 0 0  # waymark: disabled, systemd mounts /sys/fs/cgroup itself',
			'/dev/sda1 /sys/fs/cgroupx ext4 defaults 0 0',
		].join('\n'),
	);
});
