import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {existsSync, lstatSync, readFileSync, readdirSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {execa} from 'execa';
import {createLabHost, createLabNetwork, namespaceIds, processesIn, type LabHost, type LabInit} from './lab-host.js';
import {installableNames, namesIn} from './apt-repo.js';
import {labSkipReason, machineSshdPids} from './packages.js';
import {repoPackageNames} from './repo-packages.js';
import {debianVersion, suites} from './suites.js';

const skip = await labSkipReason();
const inits: readonly LabInit[] = ['systemd', 'shell'];

// Commands of live (non-zombie) processes, by pid.
function liveCommand(pid: number): string | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return undefined;
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
	} catch {
		return undefined;
	}
}

function pids(): number[] {
	return readdirSync('/proc')
		.filter(entry => /^\d+$/.test(entry))
		.map(Number);
}

// Listening TCP sockets of the machine's own network namespace.
async function machineListeners(): Promise<string> {
	return (await execa('ss', ['-Hltn'])).stdout;
}

async function machineRules(): Promise<string> {
	return (await execa('iptables', ['-S'])).stdout;
}

// Retry `attempt` until `done` says so: at most `tries` times, `intervalMs` apart.
async function until<T>(attempt: () => Promise<T>, done: (value: T) => boolean, tries = 100, intervalMs = 50): Promise<T> {
	let value = await attempt();
	for (let i = 1; i < tries && !done(value); i++) {
		await sleep(intervalMs);
		value = await attempt();
	}

	return value;
}

/** What a destroyed lab must not leave: a process, a mount, a temp dir, a cgroup. */
async function assertGone(lab: LabHost, namespaces: readonly string[]): Promise<void> {
	assert.deepEqual(await processesIn(namespaces), []);
	assert.deepEqual(
		pids()
			.map(pid => liveCommand(pid) ?? '')
			.filter(command => command.includes(lab.dir)),
		[],
	);
	assert.equal(existsSync(lab.dir), false);
	const mounts = pids().filter(pid => {
		try {
			return readFileSync(`/proc/${pid}/mountinfo`, 'utf8').includes(lab.dir);
		} catch {
			return false;
		}
	});
	assert.deepEqual(mounts, []);
	assert.doesNotMatch((await execa('findmnt', ['-rn', '-o', 'TARGET,OPTIONS'])).stdout, new RegExp(lab.dir));
	const cgroups = await execa('find', ['/sys/fs/cgroup', '-maxdepth', '8', '-type', 'd', '-name', `waymark-lab-${process.pid}-*-${lab.alias}-*`], {
		reject: false,
	});
	assert.equal(cgroups.stdout, '');
}

describe('lab host', {skip}, () => {
	let lab: LabHost | undefined;
	let listenersBefore = '';
	let sshdBefore = new Set<number>();
	let started = 0;

	before(async () => {
		listenersBefore = await machineListeners();
		sshdBefore = await machineSshdPids();
		const start = Date.now();
		lab = await createLabHost({name: 'lab-main'});
		started = Date.now() - start;
	});
	after(async () => lab?.destroy());

	test('defaults: trixie with systemd as pid 1', () => {
		assert.ok(lab);
		assert.equal(lab.image, 'trixie');
		assert.equal(lab.init, 'systemd');
	});

	test('ssh works through the generated config, as root, with no network of the machine', async () => {
		assert.ok(lab);
		const result = await execa('ssh', ['-F', lab.sshConfig, lab.alias, 'id -u; cat /run/sshd.pid']);
		const [uid, sshdPid] = result.stdout.split('\n');
		assert.equal(uid, '0');
		assert.match(sshdPid ?? '', /^\d+$/);
		assert.equal(result.stderr, '');
		assert.ok(started < 30_000, `started in ${started} ms`);
		// The lab's sshd listens only inside its namespace.
		assert.equal(await machineListeners(), listenersBefore);
		assert.deepEqual(await machineSshdPids(), sshdBefore);
		assert.match(readFileSync(lab.sshConfig, 'utf8'), /ProxyCommand nsenter --net=\/proc\/\d+\/ns\/net socat - TCP:127\.0\.0\.1:%p/);
	});

	test('its host keys are its own; the machine /etc/ssh is untouched', async () => {
		assert.ok(lab);
		const machineKey = existsSync('/etc/ssh/ssh_host_ed25519_key.pub') ? readFileSync('/etc/ssh/ssh_host_ed25519_key.pub', 'utf8') : '';
		const labKey = readFileSync(`${lab.upperDir}/etc/ssh/ssh_host_ed25519_key.pub`, 'utf8');
		assert.notEqual(labKey, machineKey);
		assert.equal(readFileSync(`${lab.upperDir}/root/.ssh/authorized_keys`, 'utf8').trim(), lab.publicKey);
	});

	test('a file written over ssh lands in the upper dir, not on the machine', async () => {
		assert.ok(lab);
		const name = `waymark-lab-${randomBytes(4).toString('hex')}`;
		const wrote = await lab.ssh(`echo written-in-lab > /etc/${name} && rm /etc/issue.net`);
		assert.equal(wrote.exitCode, 0, wrote.stderr);
		assert.equal(readFileSync(`${lab.upperDir}/etc/${name}`, 'utf8'), 'written-in-lab\n');
		assert.equal(existsSync(`/etc/${name}`), false);
		// A deletion is a whiteout (a 0:0 character device) in the upper dir.
		assert.ok(lstatSync(`${lab.upperDir}/etc/issue.net`).isCharacterDevice());
		assert.deepEqual(
			(await lab.changedFiles()).filter(path => path.startsWith('/etc/')),
			[`/etc/issue.net`, `/etc/${name}`].sort(),
		);
		assert.equal((await lab.exec(`cat /etc/${name}`)).stdout, 'written-in-lab\n');
		assert.equal(readFileSync(`${lab.rootDir}/etc/${name}`, 'utf8'), 'written-in-lab\n');
		assert.equal(await lab.readFile(`/etc/${name}`), 'written-in-lab\n');
	});

	test('readFile and stat resolve symlinks inside the lab, not on the machine', async () => {
		assert.ok(lab);
		const made = await lab.exec('mkdir -p /srv/here && echo lab-side > /srv/here/file && ln -sfn /srv/here /srv/link');
		assert.equal(made.exitCode, 0, made.stderr);
		assert.equal(await lab.readFile('/srv/link/file'), 'lab-side\n');
		assert.ok((await lab.stat('/srv/link')).isDirectory());
		// os-release is a relative link into /usr/lib in the image.
		assert.match(await lab.readFile('/etc/os-release'), /VERSION_ID="13"/);
		await assert.rejects(lab.readFile('/no/such/file'), /ENOENT/);
	});

	test('firewall rules and net sysctls stay in the lab network namespace', async () => {
		assert.ok(lab);
		const rulesBefore = await machineRules();
		const forwardBefore = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
		// The image has no iptables: the machine's, run in the lab's network namespace.
		const added = await lab.machineExec(['iptables', '-A', 'INPUT', '-p', 'udp', '--dport', '999', '-j', 'DROP']);
		assert.equal(added.exitCode, 0, added.stderr);
		assert.match((await lab.machineExec(['iptables', '-S', 'INPUT'])).stdout, /^-A INPUT -p udp -m udp --dport 999 -j DROP$/m);
		const forward = await lab.ssh('echo 1 > /proc/sys/net/ipv4/ip_forward && cat /proc/sys/net/ipv4/ip_forward');
		assert.equal(forward.stdout, '1\n', forward.stderr);
		assert.equal(await machineRules(), rulesBefore);
		assert.doesNotMatch(await machineRules(), /--dport 999 -j DROP/);
		assert.equal(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8'), forwardBefore);
	});

	test('sshd reloads on SIGHUP to the pid in /run/sshd.pid and still lets the operator in', async () => {
		assert.ok(lab);
		const reload = await lab.exec('kill -HUP "$(cat /run/sshd.pid)"');
		assert.equal(reload.exitCode, 0, reload.stderr);
		const result = await until(
			async () => lab!.ssh('echo again'),
			r => r.exitCode === 0,
		);
		assert.equal(result.stdout, 'again\n');
		const log = await until(
			async () => readFileSync(lab!.sshdLog, 'utf8'),
			text => /Received SIGHUP; restarting/.test(text),
		);
		assert.match(log, /Received SIGHUP; restarting/);
	});

	test('exec runs inside the lab: its own pid namespace, clean environment, root', async () => {
		assert.ok(lab);
		const result = await lab.exec('echo "$HOME $PATH"; cat /proc/1/comm; id -u; read line; echo "in:$line"', {
			input: 'hello\n',
		});
		const [environment, init, uid, input] = result.stdout.split('\n');
		assert.equal(environment, '/root /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
		assert.equal(init, 'systemd');
		assert.equal(uid, '0');
		assert.equal(input, 'in:hello');
	});

	test('machineExec runs the machine program in the lab network namespace only', async () => {
		assert.ok(lab);
		const links = await lab.machineExec(['ip', '-o', 'link']);
		assert.equal(links.exitCode, 0, links.stderr);
		assert.deepEqual(
			links.stdout
				.trim()
				.split('\n')
				.map(line => line.split(':')[1]?.trim()),
			['lo'],
		);
		// A machine tool the bare image lacks.
		assert.notEqual((await lab.exec('command -v socat')).exitCode, 0);
		assert.equal((await lab.machineExec(['socat', '-V'])).exitCode, 0);
	});
});

for (const image of suites) {
	for (const init of inits) {
		describe(`lab host ${image} with init ${init}`, {skip}, () => {
			let lab: LabHost | undefined;
			before(async () => {
				lab = await createLabHost({name: `m-${image}-${init}`, image, init});
			});
			after(async () => lab?.destroy());

			test(`ssh as root; os-release says Debian ${debianVersion[image]}`, async () => {
				assert.ok(lab);
				const result = await lab.ssh('id -u; . /etc/os-release; echo "$ID $VERSION_ID"; hostname');
				assert.equal(result.stdout, `0\ndebian ${debianVersion[image]}\nm-${image}-${init}\n`, result.stderr);
			});

			test('the lab is bare: no compiler, git, openssl, nginx, openvpn, autossh', async () => {
				assert.ok(lab);
				const result = await lab.ssh('for tool in gcc git openssl nginx openvpn autossh; do command -v "$tool" || echo "missing $tool"; done');
				assert.equal(result.stdout, ['gcc', 'git', 'openssl', 'nginx', 'openvpn', 'autossh'].map(tool => `missing ${tool}\n`).join(''));
			});

			test('no route to any address outside; apt installs offline from the local repository', async () => {
				assert.ok(lab);
				// `ip route get` asks the routing table; no packet is sent.
				for (const address of ['1.1.1.1', '151.101.2.132', '10.0.0.1']) {
					const route = await lab.machineExec(['ip', 'route', 'get', address]);
					assert.notEqual(route.exitCode, 0, `route to ${address}: ${route.stdout}`);
					assert.match(route.stderr, /unreachable/i);
				}

				const sources = await lab.exec('cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null');
				assert.equal(sources.stdout, 'deb [trusted=yes] file:/srv/waymark-apt ./\n');
				const install = await lab.ssh(
					'export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q --no-install-recommends openssl && openssl version',
					{timeoutMs: 180_000},
				);
				assert.equal(install.exitCode, 0, `${install.stdout}\n${install.stderr}`);
				assert.match(install.stdout, /^OpenSSL 3\./m);
				assert.doesNotMatch(install.stdout, /deb\.debian\.org/);
				// Read-only inside the lab: a lab cannot spoil the repository the next lab uses.
				assert.notEqual((await lab.exec('touch /srv/waymark-apt/x')).exitCode, 0);
			});

			test("kernel-wide sysctls and /sys are read-only; net sysctls are the lab's own", async () => {
				assert.ok(lab);
				const swappiness = readFileSync('/proc/sys/vm/swappiness', 'utf8');
				const result = await lab.exec(
					'echo 7 > /proc/sys/vm/swappiness && echo wrote-vm; touch /sys/waymark 2>/dev/null && echo wrote-sys; echo 1 > /proc/sys/net/ipv4/ip_forward && cat /proc/sys/net/ipv4/ip_forward',
				);
				assert.equal(result.stdout, '1\n', result.stderr);
				assert.equal(readFileSync('/proc/sys/vm/swappiness', 'utf8'), swappiness);
			});

			test('tun works: ip tuntap add', async () => {
				assert.ok(lab);
				const tun = await lab.exec('ip tuntap add dev tun7 mode tun && ip -o link show tun7 && ip tuntap del dev tun7 mode tun');
				assert.equal(tun.exitCode, 0, tun.stderr);
				assert.match(tun.stdout, /tun7/);
			});

			if (init === 'systemd') {
				test('every package of the local repository installs offline (apt-get -s, recommends included)', async () => {
					assert.ok(lab);
					const names = repoPackageNames(image);
					const script = `apt-get update -q >/dev/null && for p in ${names.join(' ')}; do apt-get install -s -q "$p" >/tmp/sim 2>&1 || { echo "FAIL $p"; tail -n 5 /tmp/sim; }; done`;
					const result = await lab.exec(script, {timeoutMs: 180_000});
					assert.equal(result.exitCode, 0, result.stderr);
					assert.equal(result.stdout, '');
				});

				test('pid 1 is systemd; ssh restarts under it and a new login works', async () => {
					assert.ok(lab);
					const state = await lab.exec('cat /proc/1/comm; systemctl is-system-running --wait; systemctl is-active ssh');
					assert.match(state.stdout, /^systemd\n(running|degraded)\nactive\n$/, state.stderr);
					const before = (await lab.exec('systemctl show -P MainPID ssh')).stdout.trim();
					const restart = await lab.ssh('systemctl restart ssh && systemctl is-active ssh');
					assert.equal(restart.stdout, 'active\n', restart.stderr);
					const afterPid = (await lab.exec('systemctl show -P MainPID ssh')).stdout.trim();
					assert.notEqual(afterPid, before);
					const login = await until(
						async () => lab!.ssh('echo fresh'),
						r => r.exitCode === 0,
					);
					assert.equal(login.stdout, 'fresh\n', login.stderr);
				});
			} else {
				test('pid 1 is the bash init; sshd is its child', async () => {
					assert.ok(lab);
					const result = await lab.exec('cat /proc/1/comm; cat /proc/"$(cat /run/sshd.pid)"/comm');
					assert.equal(result.stdout, 'bash\nsshd\n');
				});
			}

			test('destroy leaves nothing: no process, mount, temp dir or cgroup', async () => {
				assert.ok(lab);
				const namespaces = await namespaceIds(lab.pid);
				// Bounded: a session outliving its lab by 30 s is the failure this test is about.
				const session = execa('ssh', ['-F', lab.sshConfig, lab.alias, 'echo started; sleep 300'], {reject: false, timeout: 30_000});
				await until(
					async () => processesIn(namespaces),
					found => found.some(pid => (liveCommand(pid) ?? '').startsWith('socat')),
				);
				await lab.destroy();
				// The operator's ssh ends on its own once the lab's end of the link is gone (it notices a moment later).
				const ended = await session;
				assert.notEqual(ended.exitCode, 0);
				assert.equal(ended.timedOut, false, 'the session ended with the lab, not by the timeout');
				await assertGone(lab, namespaces);
			});
		});
	}
}

describe('local apt repositories', {skip}, () => {
	for (const image of suites) {
		test(`${image}: installableNames has every requested package, virtual ones by Provides`, async () => {
			const names = await installableNames(image);
			assert.deepEqual(
				repoPackageNames(image).filter(name => !names.has(name)),
				[],
			);
			assert.ok(names.has('libpam-dev'), 'libpam-dev through libpam0g-dev Provides');
			// Already in the bare image.
			assert.ok(names.has('openssh-server'));
			assert.equal(names.has('no-such-package-waymark'), false);
		});
	}

	test('namesIn reads Package and Provides, and only installed entries of a dpkg status file', () => {
		const text = [
			'Package: libpam0g-dev\nProvides: libpam-dev (= 1.7.0-5), other\nVersion: 1',
			'Package: gone\nStatus: deinstall ok config-files',
			'Package: here\nStatus: install ok installed',
		].join('\n\n');
		assert.deepEqual([...namesIn(text)].sort(), ['here', 'libpam-dev', 'libpam0g-dev', 'other']);
	});
});

describe('lab host lifecycle', {skip}, () => {
	test('destroy kills sshd, sessions and ProxyCommand socats, and leaves no mounts or files', async t => {
		const lab = await createLabHost({name: 'lab-destroy'});
		t.after(async () => lab.destroy());
		// A session in progress: an sshd child in the lab and a socat that entered its network namespace.
		const session = execa('ssh', ['-F', lab.sshConfig, lab.alias, 'echo started; sleep 300'], {reject: false, buffer: true});
		const background = execa('ssh', ['-F', lab.sshConfig, lab.alias, 'nohup sleep 300 >/dev/null 2>&1 &'], {reject: false});
		await background;
		const namespaces = await namespaceIds(lab.pid);
		const seen = await until(
			async () => processesIn(namespaces),
			found => {
				const commands = found.map(pid => liveCommand(pid) ?? '');
				return commands.some(c => c.startsWith('socat')) && commands.filter(c => c.startsWith('sleep 300')).length >= 2;
			},
		);
		const commands = seen.map(pid => liveCommand(pid) ?? '');
		assert.ok(
			commands.some(c => c.startsWith('sshd')),
			commands.join('\n'),
		);
		assert.ok(
			commands.some(c => c.startsWith('socat')),
			commands.join('\n'),
		);
		assert.ok(commands.filter(c => c.startsWith('sleep 300')).length >= 2, commands.join('\n'));

		await lab.destroy();
		assert.deepEqual(
			seen.filter(pid => liveCommand(pid) !== undefined).map(pid => `${pid} ${liveCommand(pid)}`),
			[],
		);
		await assertGone(lab, namespaces);
		const ended = await session;
		assert.notEqual(ended.exitCode, 0);
		await lab.destroy();
	});

	test('authorized_keys2: the key works until sshd is told to read only authorized_keys', async t => {
		const lab = await createLabHost({name: 'lab-keys2', keyIn: 'authorized_keys2'});
		t.after(async () => lab.destroy());
		assert.equal(existsSync(`${lab.rootDir}/root/.ssh/authorized_keys`), false);
		assert.equal(readFileSync(`${lab.rootDir}/root/.ssh/authorized_keys2`, 'utf8').trim(), lab.publicKey);
		assert.equal((await lab.ssh('echo in')).stdout, 'in\n');
		const change = await lab.exec(
			'echo "AuthorizedKeysFile .ssh/authorized_keys" > /etc/ssh/sshd_config.d/00-keys.conf && sshd -t && kill -HUP "$(cat /run/sshd.pid)"',
		);
		assert.equal(change.exitCode, 0, change.stderr);
		// Until the reload is done the old sshd answers, and while it re-executes the connection is refused.
		const denied = await until(
			async () => lab.ssh('echo in'),
			r => /Permission denied/.test(r.stderr),
		);
		assert.equal(denied.exitCode, 255);
		assert.match(denied.stderr, /Permission denied/);
		assert.equal(existsSync('/etc/ssh/sshd_config.d/00-keys.conf'), false);
	});

	test('none: sshd runs but the operator has no working key', async t => {
		const lab = await createLabHost({name: 'lab-nokey', keyIn: 'none'});
		t.after(async () => lab.destroy());
		const denied = await lab.ssh('true');
		assert.equal(denied.exitCode, 255);
		assert.match(denied.stderr, /Permission denied \(publickey/);
		assert.equal((await lab.exec('test -s /run/sshd.pid && echo up')).stdout, 'up\n');
		assert.equal(existsSync(`${lab.rootDir}/root/.ssh/authorized_keys`), false);
	});

	test('a test process killed with SIGKILL leaves no lab running; the next one sweeps its dirs and cgroups', async () => {
		const module = new URL('lab-host.ts', import.meta.url).href;
		const script = [
			`import {createLabHost} from '${module}';`,
			"const lab = await createLabHost({name: 'lab-orphan'});",
			'console.log(JSON.stringify({pid: lab.pid, dir: lab.dir}));',
			'setInterval(() => {}, 1000);',
		].join('\n');
		const child = execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {reject: false, buffer: false});
		const line = await new Promise<string>((resolve, reject) => {
			let text = '';
			child.stdout?.on('data', (chunk: Buffer) => {
				text += chunk.toString();
				if (text.includes('\n')) resolve(text.split('\n')[0] ?? '');
			});
			void child.then(ended => reject(new Error(`child exited before its lab was up: ${text}${String(ended.stderr ?? '')}`)));
		});
		const {pid, dir} = JSON.parse(line) as {pid: number; dir: string};
		const namespaces = await namespaceIds(pid);
		child.kill('SIGKILL');
		await child;
		// The parent-death signal makes the starter kill the lab's cgroup, container included.
		const left = await until(
			async () => processesIn(namespaces),
			found => found.length === 0,
			200,
		);
		assert.deepEqual(left, []);
		assert.ok(existsSync(dir), 'the killed process could not remove its dir');
		// The next lab of another process removes what the dead one left.
		const sweep = `import {createLabHost} from '${module}'; await (await createLabHost({name: 'lab-sweeper', init: 'shell'})).destroy();`;
		const sweeper = await execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', sweep], {reject: false});
		assert.equal(sweeper.exitCode, 0, sweeper.stderr);
		assert.equal(existsSync(dir), false);
		const cgroups = await execa('find', ['/sys/fs/cgroup', '-maxdepth', '8', '-type', 'd', '-name', 'waymark-lab-*-lab-orphan-*'], {reject: false});
		assert.equal(cgroups.stdout, '');
	});
});

describe('lab network', {skip}, () => {
	test('two hosts reach each other on 10.99.0.0/24; the machine has no such address or link', async t => {
		const linksBefore = (await execa('ip', ['-o', 'link'])).stdout;
		const network = await createLabNetwork(2);
		t.after(async () => network.destroy());
		const [first, second] = network.hosts;
		assert.ok(first && second);
		assert.equal(first.address, '10.99.0.1');
		assert.equal(second.address, '10.99.0.2');
		const banner = await first.exec('exec timeout 5 bash -c "exec 3<>/dev/tcp/10.99.0.2/22 && head -c 8 <&3"');
		assert.equal(banner.stdout, 'SSH-2.0-');
		const viaConfig = await execa('ssh', ['-F', network.sshConfig, second.alias, 'ip -4 -o addr show eth0']);
		assert.match(viaConfig.stdout, /inet 10\.99\.0\.2\/24/);
		assert.doesNotMatch((await execa('ip', ['-o', 'addr'])).stdout, /10\.99\.0\./);
		assert.equal((await execa('ip', ['-o', 'link'])).stdout, linksBefore);
		await network.destroy();
		assert.equal(existsSync(first.dir) || existsSync(second.dir), false);
	});

	for (const image of suites) {
		for (const init of inits) {
			test(`${image} with init ${init}: two hosts ping each other (the machine's ping)`, async t => {
				const network = await createLabNetwork(2, {prefix: `p${image.slice(0, 1)}${init.slice(0, 2)}`, subnet: '10.98.0', image, init});
				t.after(async () => network.destroy());
				const [first, second] = network.hosts;
				assert.ok(first && second);
				assert.equal(first.image, image);
				assert.equal(second.init, init);
				for (const [from, to] of [
					[first, second],
					[second, first],
				] as const) {
					const ping = await from.machineExec(['ping', '-c', '1', '-W', '5', to.address ?? '']);
					assert.equal(ping.exitCode, 0, `${from.alias} -> ${to.address}: ${ping.stdout}${ping.stderr}`);
				}

				const namespaces = [...(await namespaceIds(first.pid)), ...(await namespaceIds(second.pid))];
				await network.destroy();
				await assertGone(first, namespaces);
				await assertGone(second, namespaces);
			});
		}
	}
});
