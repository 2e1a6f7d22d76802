// uwsgi-node steps as data: real configuration files and command outputs in, plans out, and convergence.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {StepFailure} from '../../source/engine/errors.js';
import {uwsgiNode} from '../../wizards/uwsgi-node/index.js';
import {fixture} from '../edits/fixture.js';
import {applyFiles, context, facts, step, summary, type FactValues} from './step-harness.js';

const answers = {publicIp: '192.0.2.10', apiDomain: 'node1.example.test', peerNodes: ['192.0.2.11', '192.0.2.12']};
const ctx = context(uwsgiNode, answers);
const modern = {kernel: '6.1.0-28-amd64', container: 'none', systemd: 'yes'};

test('sshd: with an Include line the settings go into a first-sorting drop-in, then sshd reloads', () => {
	const sshd = step(uwsgiNode, 'sshd-hardening');
	const values: FactValues = {
		main: fixture('sshd/ubuntu-24.04-sshd_config'),
		dropin: null,
		others: '/etc/ssh/sshd_config.d/50-cloud-init.conf\n',
		effective: '',
	};
	const plan = sshd.plan(ctx, facts(values));
	const [dropIn, reload] = summary(plan);
	assert.equal(dropIn?.[0], 'file /etc/ssh/sshd_config.d/00-waymark.conf');
	assert.match(dropIn![1], /^AuthorizedKeysFile %h\/\.ssh\/authorized_keys %h\/\.ssh\/uwsgi_authorized_keys$/m);
	assert.match(dropIn![1], /^PasswordAuthentication no$/m);
	assert.match(dropIn![1], /^KbdInteractiveAuthentication no$/m);
	assert.match(dropIn![1], /^X11Forwarding no$/m);
	assert.match(dropIn![1], /^ClientAliveInterval 30$/m);
	assert.equal(reload?.[0], 'command Reload sshd (sessions stay open)');
	assert.equal(sshd.plan(ctx, facts(applyFiles(plan, values, {'/etc/ssh/sshd_config.d/00-waymark.conf': 'dropin'}))).actions.length, 0, 'converges');
});

test('sshd: without Include (Ubuntu 13.10) the main file is edited before the first Match', () => {
	const sshd = step(uwsgiNode, 'sshd-hardening');
	const main = fixture('sshd/ubuntu-13.10-sshd_config');
	const values: FactValues = {main, dropin: null, others: '', effective: ''};
	const plan = sshd.plan(ctx, facts(values));
	const [edit] = summary(plan);
	assert.equal(edit?.[0], 'file /etc/ssh/sshd_config');
	const after = edit![1];
	assert.match(after, /^PasswordAuthentication no$/m);
	const match = after.search(/^Match /m);
	assert.notEqual(match, -1, 'the fixture ends in a Match block');
	// OpenSSH 6.2 spells KbdInteractiveAuthentication by its old alias, which the file already sets to no.
	for (const line of ['PasswordAuthentication no', '(KbdInteractive|ChallengeResponse)Authentication no', 'X11Forwarding no', 'ClientAliveInterval 30']) {
		const at = after.search(new RegExp(`^${line}$`, 'm'));
		assert.ok(at !== -1 && at < match, `${line} before the Match block`);
	}

	assert.equal(after.slice(match), main.slice(main.search(/^Match /m)), 'the Match block is untouched');

	assert.equal(sshd.plan(ctx, facts(applyFiles(plan, values, {'/etc/ssh/sshd_config': 'main'}))).actions.length, 0, 'converges');
});

test('sshd: verification reads sshd -T and fails when an earlier file wins', () => {
	const sshd = step(uwsgiNode, 'sshd-hardening');
	const wanted =
		'passwordauthentication no\nkbdinteractiveauthentication no\nx11forwarding no\nclientaliveinterval 30\nauthorizedkeysfile %h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys\n';
	assert.deepEqual(
		sshd.verify!(ctx, facts({effective: wanted})).map(check => check.status),
		['pass', 'pass', 'pass', 'pass', 'pass'],
	);
	// Debian 12's defaults, as sshd -T prints them: password logins on, keys2 read.
	const checks = sshd.verify!(ctx, facts({effective: fixture('sshd/debian-12-sshd-T.txt')}));
	const password = checks.find(check => check.id === 'sshd-passwordauthentication');
	assert.equal(password?.status, 'fail');
	assert.equal(password?.evidence, 'sshd -T: passwordauthentication yes');
	assert.equal(checks.find(check => check.id === 'sshd-authorizedkeysfile')?.status, 'fail');
});

test('firewall: the chain with -j (never -J), tested before it is loaded, then saved; a match means ok', () => {
	const firewall = step(uwsgiNode, 'tuntap-firewall');
	const empty: FactValues = {
		iptables: '/usr/sbin/iptables\n/usr/sbin/iptables-restore\n',
		chain: {text: '', exitCode: 1},
		input: '-P INPUT ACCEPT\n',
		ufw: '',
		firewalld: {text: '', exitCode: 1},
		saved: null,
	};
	const plan = firewall.plan(ctx, facts(empty));
	const [load, save] = summary(plan);
	assert.match(load![1], /iptables-restore -w --noflush --test/);
	assert.match(load![1], /-A WAYMARK-TUNTAP -s 192\.0\.2\.11\/32 -d 192\.0\.2\.10\/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT/);
	assert.match(load![1], /iptables -w -C INPUT -p udp --dport 999 -j WAYMARK-TUNTAP 2>\/dev\/null \|\| iptables -w -I INPUT 1/);
	assert.doesNotMatch(load![1], /-J /);
	assert.match(save![1], /netfilter-persistent save/);
	const chain = [
		'-N WAYMARK-TUNTAP',
		'-A WAYMARK-TUNTAP -s 192.0.2.11/32 -d 192.0.2.10/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT',
		'-A WAYMARK-TUNTAP -s 192.0.2.12/32 -d 192.0.2.10/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT',
		'-A WAYMARK-TUNTAP -d 192.0.2.10/32 -p udp -m udp --dport 999 -j DROP',
	];
	const jump = '-A INPUT -p udp -m udp --dport 999 -j WAYMARK-TUNTAP';
	const done: FactValues = {
		...empty,
		chain: `${chain.join('\n')}\n`,
		input: `-P INPUT ACCEPT\n${jump}\n`,
		saved: `*filter\n${chain.slice(1).join('\n')}\n${jump}\nCOMMIT\n`,
	};
	assert.deepEqual(firewall.plan(ctx, facts(done)).actions, []);
	assert.deepEqual(firewall.plan(ctx, facts({...done, boot: 'netfilter-persistent\n'})).actions, []);
	// Saved but nothing loads it at boot: after a reboot the port would be open to all, so it is not done.
	const unloaded = summary(firewall.plan(ctx, facts({...done, boot: 'none\n'})));
	assert.deepEqual(
		unloaded.map(([what]) => what),
		['command Save the rules for the next boot (/etc/iptables/rules.v4)'],
	);
	assert.match(unloaded[0]![1], /systemctl enable waymark-iptables-restore\.service/);
	// A duplicated rule (the guide's -A twice) is not "done": the chain is rebuilt.
	const duplicated = {...done, chain: `${[...chain, chain[1]].join('\n')}\n`};
	assert.equal(summary(firewall.plan(ctx, facts(duplicated)))[0]?.[0], 'command Replace chain WAYMARK-TUNTAP (tested first) and jump to it from INPUT');
});

test('firewall: refuses to work beside an active ufw, saying the ufw commands to use', () => {
	const firewall = step(uwsgiNode, 'tuntap-firewall');
	const values: FactValues = {
		iptables: '/usr/sbin/iptables\n',
		chain: {text: '', exitCode: 1},
		input: '',
		ufw: 'Status: active\n',
		firewalld: {text: '', exitCode: 1},
		saved: null,
	};
	assert.throws(
		() => firewall.plan(ctx, facts(values)),
		(error: unknown) => error instanceof StepFailure && /ufw allow proto udp from 192\.0\.2\.11 port 999 to 192\.0\.2\.10 port 999/.test(error.remedy),
	);
});

test('kernel cmdline: elevator= only on kernels before 5.0; nothing in a container; nomodeset only when asked', () => {
	const cmdline = step(uwsgiNode, 'kernel-cmdline');
	const grub = fixture('grub/ubuntu-13.10-default-grub');
	const base: FactValues = {
		grub,
		dropin: null,
		cmdline: 'BOOT_IMAGE=/vmlinuz ro quiet\n',
		'update-grub': '/usr/sbin/update-grub\n',
		grubby: {text: '', exitCode: 1},
	};
	const old = summary(cmdline.plan(ctx, facts({...base, kernel: '3.11.0-12-generic', container: 'none', systemd: 'no'})));
	assert.equal(old[0]?.[0], 'file /etc/default/grub.d/99-waymark-uwsgi-node.cfg');
	assert.match(old[0]![1], /^GRUB_CMDLINE_LINUX="\$GRUB_CMDLINE_LINUX elevator=cfq"$/m);
	assert.deepEqual(old[1], ['command Regenerate the GRUB menu', 'update-grub']);
	assert.deepEqual(cmdline.plan(ctx, facts({...base, ...modern})).actions, []);
	assert.deepEqual(cmdline.plan(context(uwsgiNode, {...answers, nomodeset: true}), facts({...base, ...modern, container: 'lxc'})).actions, []);
	const asked = summary(cmdline.plan(context(uwsgiNode, {...answers, nomodeset: true}), facts({...base, ...modern})));
	assert.match(asked[0]![1], /"\$GRUB_CMDLINE_LINUX nomodeset"/);
});

test('io scheduler: a udev rule for rotating disks on blk-mq kernels, nothing in a container', () => {
	const io = step(uwsgiNode, 'io-scheduler');
	const values: FactValues = {...modern, rule: null, udevadm: '/usr/bin/udevadm\n', disks: 'sda 1 mq-deadline [none] bfq\nnvme0n1 0 [none] mq-deadline\n'};
	const [rule, reload] = summary(io.plan(ctx, facts(values)));
	assert.equal(rule?.[0], 'file /etc/udev/rules.d/60-iosched.rules');
	assert.match(rule![1], /ATTR\{queue\/rotational\}=="1", ATTR\{queue\/scheduler\}="bfq"/);
	assert.match(reload![1], /udevadm trigger --action=change --subsystem-match=block/);
	assert.deepEqual(io.plan(ctx, facts({...values, container: 'docker'})).actions, []);
	const checks = io.verify!(ctx, facts(values));
	assert.deepEqual(
		checks.map(check => [check.id, check.status]),
		[['scheduler-sda', 'warn']],
	);
});

test("cgroups: the guide's fstab line is commented out, never added", () => {
	const cgroups = step(uwsgiNode, 'cgroups');
	const fstab = fixture('fstab/uwsgi-it-guide-fstab');
	const plan = cgroups.plan(ctx, facts({fstab, fs: 'cgroup2fs\n', controllers: 'cpuset cpu io memory pids\n', 'pi-cmdline': null}));
	const [edit] = summary(plan);
	assert.equal(edit?.[0], 'file /etc/fstab');
	assert.doesNotMatch(edit![1], /^none \/sys\/fs\/cgroup cgroup/m);
	assert.match(edit![1], /^#.*none \/sys\/fs\/cgroup cgroup/m);
	const clean = {fstab: fixture('fstab/debian-12-installer-fstab'), fs: 'cgroup2fs\n', controllers: 'cpu io memory pids\n', 'pi-cmdline': null};
	assert.deepEqual(cgroups.plan(ctx, facts(clean)).actions, []);
});

test('cgroups: a Raspberry Pi without memcg gets cgroup_enable=memory in cmdline.txt', () => {
	const cgroups = step(uwsgiNode, 'cgroups');
	const plan = cgroups.plan(
		ctx,
		facts({fstab: '', fs: 'cgroup2fs\n', controllers: 'cpuset cpu io pids\n', 'pi-cmdline': fixture('cmdline/raspios-bookworm-cmdline.txt')}),
	);
	const [edit] = summary(plan);
	assert.equal(edit?.[0], 'file /boot/firmware/cmdline.txt');
	assert.match(edit![1], /cgroup_enable=memory/);
	assert.equal(edit![1].trimEnd().split('\n').length, 1, 'cmdline.txt stays one line');
});

test('fstab quota: legacy options without the ext4 quota feature, usrquota,grpquota with it, nothing on overlay', () => {
	const quota = step(uwsgiNode, 'fstab-quota');
	const fstab = fixture('fstab/uwsgi-it-guide-fstab')
		.replace(/usrjquota=aquota\.user,jqfmt=vfsv1/g, 'defaults')
		.replace(/defaults,defaults/g, 'defaults');
	const base: FactValues = {
		fstab,
		mount: 'ext4 /dev/md2\n',
		features:
			'Filesystem features:      has_journal ext_attr resize_inode dir_index filetype extent 64bit flex_bg sparse_super large_file huge_file dir_nlink extra_isize metadata_csum\n',
		quotatools: '/usr/sbin/quotacheck\n/usr/sbin/quotaon\n',
		quotaon: {text: 'user quota on / (/dev/md2) is off\n', exitCode: 0},
		dumpe2fs: '/usr/sbin/dumpe2fs\n',
		kernel: 'yes\n',
	};
	const legacy = quota.plan(ctx, facts(base));
	const file = legacy.actions[0];
	assert.ok(file?.kind === 'file');
	assert.match(file.after, /usrjquota=aquota\.user,jqfmt=vfsv1/);
	assert.equal(file.validateInPlace, 'mount -o remount /');
	assert.match(summary(legacy)[1]?.[1] ?? '', /^quotacheck -cugm \/ \|\| exit \$\?\nout=\$\(quotaon \/ 2>&1\)/);
	const feature = quota.plan(ctx, facts({...base, features: `${String(base.features).trimEnd()} quota\n`}));
	assert.ok(feature.actions[0]?.kind === 'file' && /usrquota,grpquota/.test(feature.actions[0].after));
	assert.deepEqual(quota.plan(ctx, facts({...base, mount: 'overlay overlay\n'})).actions, []);
	const applied = applyFiles(legacy, base, {'/etc/fstab': 'fstab'});
	assert.deepEqual(quota.plan(ctx, facts({...applied, quotaon: 'user quota on / (/dev/md2) is on\n'})).actions, [], 'converges');
	// A kernel that refused the quota format: the fstab edit stays, quotaon is not tried again, the step waits.
	const refused = quota.plan(ctx, facts({...applied, kernel: 'no: quotaon on kernel 6.12.0 said: Quota format not supported in kernel\n'}));
	assert.deepEqual(refused.actions, []);
	assert.equal(refused.unmet?.status, 'deferred');
	assert.match(refused.unmet?.reason ?? '', /Quota format not supported in kernel/);
	assert.deepEqual(quota.verify!(ctx, facts({...applied, kernel: 'no: this kernel has no quota support\n'})), []);
	// A minimal image without e2fsprogs: said, not guessed.
	assert.throws(
		() => quota.plan(ctx, facts({...base, dumpe2fs: {text: '', exitCode: 1}})),
		(error: unknown) => error instanceof StepFailure && /dumpe2fs is missing/.test(error.message) && /e2fsprogs/.test(error.remedy),
	);
});

test('packages and time sync: only what is missing, noninteractive, config files kept', () => {
	const packages = step(uwsgiNode, 'packages');
	// What a fresh Debian 13 minbase with libpam0g-dev and chrony reports: libpam-dev is only a name libpam0g-dev provides.
	const installed = fixture('dpkg/debian-13-minbase-libpam0g-dev-chrony.tsv');
	const [install] = summary(packages.plan(ctx, facts({apt: '/usr/bin/apt-get\n', installed})));
	assert.equal(install?.[0], 'command apt-get install git make build-essential libcurl4-openssl-dev quota e2fsprogs iptables');
	assert.match(install![1], /-o DPkg::Lock::Timeout=300 install/);
	assert.match(install![1], /DEBIAN_FRONTEND=noninteractive/);
	assert.match(install![1], /--force-confold/);
	const time = step(uwsgiNode, 'time-sync');
	const host = {kernel: '6.12.0-1-amd64\n', container: 'none\n', systemd: 'yes\n'};
	assert.deepEqual(time.plan(ctx, facts({...host, installed: 'ii \tsystemd-timesyncd\ttime-daemon\n', running: 'systemd-timesyn\n'})).actions, []);
	assert.deepEqual(
		summary(time.plan(ctx, facts({...host, installed: '', running: ''}))).map(([what]) => what),
		['command apt-get install chrony', 'command Start chrony now and at boot'],
	);
});

test('nss: the module word is added only when libnss_<name>.so.2 exists or can be built', () => {
	const nss = step(uwsgiNode, 'nss-module');
	const nsswitch = fixture('nsswitch/debian-12-nsswitch.conf');
	const noSource = context(uwsgiNode, {...answers, nssSource: ''});
	assert.deepEqual(nss.plan(noSource, facts({nsswitch, library: '', authselect: {text: '', exitCode: 1}})).actions, []);
	const present = nss.plan(ctx, facts({nsswitch, library: '/lib/x86_64-linux-gnu/libnss_unbit.so.2\n', authselect: {text: '', exitCode: 1}}));
	const [edit] = summary(present);
	assert.match(edit![1], /^passwd:\s+files unbit systemd$/m);
	const build = summary(nss.plan(ctx, facts({nsswitch, library: '', authselect: {text: '', exitCode: 1}})));
	assert.equal(build[0]?.[0], 'command Build unbit from https://github.com/unbit/nss-unbit');
	assert.equal(build[1]?.[0], 'file /etc/nsswitch.conf');
});

test('pam: a required line for a missing module is refused; present modules go below pam_env', () => {
	const pam = step(uwsgiNode, 'pam-session');
	const sshd = fixture('pam/debian-12-sshd');
	const noSource = context(uwsgiNode, {...answers, pamSource: ''});
	assert.throws(
		() => pam.plan(noSource, facts({pam: sshd, module: ''})),
		(error: unknown) => error instanceof StepFailure && /Refused: pam_unbit\.so is not installed/.test(error.message),
	);
	const [edit] = summary(pam.plan(ctx, facts({pam: sshd, module: '/lib/x86_64-linux-gnu/security/pam_unbit.so\n'})));
	const lines = edit![1].split('\n');
	const env = lines.findLastIndex(line => /^session\s+required\s+pam_env\.so/.test(line));
	assert.ok(env !== -1);
	assert.deepEqual(lines.slice(env + 1, env + 3), ['# waymark: added', 'session required pam_unbit.so']);
});

test('directories, local.ini and the TLS certificate', () => {
	const dirs = step(uwsgiNode, 'directories');
	const planned = summary(dirs.plan(ctx, facts({'/containers': null, '/distros': ''})));
	assert.ok(planned.some(([what]) => what === 'dir /containers'));
	assert.ok(!planned.some(([what]) => what === 'dir /distros'));
	const ini = step(uwsgiNode, 'uwsgi-local-ini');
	const [file] = summary(ini.plan(ctx, facts({ini: null})));
	assert.equal(file?.[1], '[uwsgi]\npublic_ip = 192.0.2.10\napi_domain = node1.example.test\nenv = LANG=en_US.UTF-8\n');
	const ssl = step(uwsgiNode, 'uwsgi-ssl');
	const secret = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nxyz\n-----END CERTIFICATE-----\n';
	const plan = ssl.plan(context(uwsgiNode, answers, {'uwsgi-ssl': secret}), facts({key: null, certificate: null}));
	const key = plan.actions[0];
	assert.ok(key?.kind === 'file');
	assert.equal(key.path, '/etc/uwsgi/ssl/node1.example.test.key');
	assert.equal(key.secret, true);
	assert.equal(key.mode, 0o600);
});

test('an existing TLS key is kept, but never left readable by others', () => {
	const ssl = step(uwsgiNode, 'uwsgi-ssl');
	const values = facts({key: 'KEY', certificate: 'CERT'});
	assert.deepEqual(ssl.plan(ctx, values).actions, []);
	const loose = new Map(values);
	loose.set('key', {...values.get('key')!, mode: 0o644});
	assert.deepEqual(summary(ssl.plan(ctx, loose)), [
		['command chmod 600 /etc/uwsgi/ssl/node1.example.test.key (it was 644)', 'chmod 600 /etc/uwsgi/ssl/node1.example.test.key'],
	]);
});

test('a secret file with the right text but a loose mode is written again, which forces its mode', async () => {
	const {fileChange} = await import('../../wizards/common/plan-helpers.js');
	assert.equal(fileChange('/k', 'same', 'same', {secret: true, mode: 0o600}, 0o600), undefined);
	assert.equal(fileChange('/k', 'same', 'same', {secret: true, mode: 0o600}, 0o644)?.kind, 'file');
	assert.equal(fileChange('/c', 'same', 'same', {mode: 0o644}, 0o600), undefined, 'only secrets are held to their mode');
});
