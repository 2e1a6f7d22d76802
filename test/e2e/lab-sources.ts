// Stand-ins for the guides' git sources (nss-unbit, pam-unbit, uwsgi.it), as git repositories inside a lab host:
// labs reach no network, so the answers point at /srv/src/NAME on the host itself.
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import type {LabHost} from '../lab/lab-host.js';
import {repoRoot} from './cli.js';

/** Where a stand-in lives on a lab host. */
export function labSource(name: string): string {
	return `/srv/src/${name}`;
}

/** Replaces `from` by `to` in every file's text and name below `dir`. */
function rename(dir: string, from: string, to: string): void {
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) {
			rename(path, from, to);
		} else {
			writeFileSync(path, readFileSync(path, 'utf8').replaceAll(from, to));
		}

		if (entry.name.includes(from)) {
			renameSync(path, join(dir, entry.name.replaceAll(from, to)));
		}
	}
}

async function commitAll(dir: string): Promise<void> {
	const git = async (...args: string[]) =>
		execa('git', ['-c', 'user.name=waymark-test', '-c', 'user.email=test@waymark.invalid', '-c', 'init.defaultBranch=main', ...args], {cwd: dir});
	await git('init', '-q');
	await git('add', '.');
	await git('commit', '-q', '-m', 'stand-in');
}

/**
 * The guide's modules under their own names: the NSS module's Makefile installs into /lib (as nss-unbit's does),
 * the PAM module into PAM's multiarch security directory (as pam-unbit's does).
 */
async function buildStandIns(into: string): Promise<void> {
	const nss = join(into, 'nss-unbit');
	cpSync(join(repoRoot, 'test/fixtures/modules/nss-waymarkdemo'), nss, {recursive: true});
	rename(nss, 'waymarkdemo', 'unbit');
	writeFileSync(join(nss, 'Makefile'), readFileSync(join(nss, 'Makefile'), 'utf8').replace('/lib/$(ARCH)/$(LIB)', '/lib/$(LIB)'));
	const pam = join(into, 'pam-unbit');
	cpSync(join(repoRoot, 'test/fixtures/modules/pam-waymarkdemo'), pam, {recursive: true});
	rename(pam, 'waymarkdemo', 'unbit');
	const tree = join(into, 'uwsgi.it');
	mkdirSync(join(tree, 'services'), {recursive: true});
	writeFileSync(join(tree, 'services', 'README'), 'uwsgi.it services (stand-in)\n');
	// The one line of the real tuntap.ini the wizard rewrites: its gateway brought up with net-tools' ifconfig.
	writeFileSync(join(tree, 'services', 'tuntap.ini'), '[uwsgi]\nhook-as-root = exec:ifconfig emperor0 10.0.0.1 netmask 255.0.0.0 up\n');
	for (const script of ['collector.pl', 'configurator.pl', 'dominator.pl']) {
		writeFileSync(join(tree, script), '#!/usr/bin/perl\n# uwsgi.it stand-in\n', {mode: 0o755});
	}

	writeFileSync(join(tree, 'emperor.ini'), '[uwsgi]\nemperor = /etc/uwsgi/vassals\n');
	await Promise.all(['nss-unbit', 'pam-unbit', 'uwsgi.it'].map(async name => commitAll(join(into, name))));
}

let built: Promise<string> | undefined;

/** Copies the stand-in repositories to /srv/src on the host (through its root, so the lab needs no tools for it). */
export async function installStandIns(host: LabHost): Promise<void> {
	built ??= (async () => {
		const dir = mkdtempSync(join(tmpdir(), 'waymark-sources-'));
		process.once('exit', () => {
			rmSync(dir, {recursive: true, force: true});
		});
		await buildStandIns(dir);
		return dir;
	})();
	const dir = await built;
	const target = join(host.rootDir, 'srv/src');
	mkdirSync(target, {recursive: true});
	cpSync(dir, target, {recursive: true});
}
