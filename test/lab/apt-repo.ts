// A local apt repository per suite: the .debs of every package in repo-packages.ts with the dependencies a bare
// image lacks. Downloaded once, while the cache is built (the only time anything here reaches deb.debian.org),
// then served read-only inside each lab as `deb [trusted=yes] file:/srv/waymark-apt ./`.
import {chmod, mkdir, readFile, readdir, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {execa} from 'execa';
import {cacheKey, cachedDir} from './cache.js';
import {ensureImage, imageKey} from './images.js';
import {suiteGroups} from './repo-packages.js';
import {mirror, type Suite} from './suites.js';

/** Bump when the recipe below changes what ends up in the repository. */
const recipeVersion = 1;
const buildTimeoutMs = 30 * 60_000;
const buildWaitMs = 45 * 60_000;

export function repoKey(suite: Suite): string {
	return `${suite}-${cacheKey('repo', recipeVersion, imageKey(suite), mirror, suiteGroups(suite))}`;
}

/** The cached repository of a suite (a flat dir with Packages, Packages.gz, Release and the .debs), built on first use. */
export async function ensureRepo(suite: Suite): Promise<string> {
	const image = await ensureImage(suite);
	return cachedDir('repos', repoKey(suite), {waitMs: buildWaitMs}, async tmp => buildRepo(suite, image, tmp));
}

// Runs in private mount and pid namespaces: a throwaway overlay of the image with Debian's real sources, where apt
// resolves each group, then each package alone, against exactly what the bare image has installed, and downloads
// the result (recommends included, as a plain `apt-get install` on a server would) into the repository.
const downloadScript = `set -eu
W=$1 IMAGE=$2 OUT=$3 SUITE=$4 MIRROR=$5 LIST=$6
R=$W/root
mkdir -p "$W/upper" "$W/work" "$R"
mount -t overlay overlay -o "lowerdir=$IMAGE,upperdir=$W/upper,workdir=$W/work" "$R"
mount -t proc proc "$R/proc"
mount --rbind /dev "$R/dev"
rm -f "$R"/etc/apt/sources.list.d/*
echo "deb $MIRROR $SUITE main" > "$R/etc/apt/sources.list"
cp /etc/resolv.conf "$R/etc/resolv.conf"
mkdir -p "$R/waymark-debs"
mount --bind "$OUT" "$R/waymark-debs"
export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin
chroot "$R" apt-get update -q
while read -r group packages; do
	echo "== group $group: $packages"
	# shellcheck disable=SC2086
	chroot "$R" apt-get install -y -q --download-only -o Dir::Cache::archives=/waymark-debs $packages
	for package in $packages; do
		chroot "$R" apt-get install -y -q --download-only -o Dir::Cache::archives=/waymark-debs "$package" >/dev/null ||
			{ echo "apt cannot install $package alone on $SUITE"; exit 1; }
	done
done < "$LIST"
`;

async function buildRepo(suite: Suite, image: string, out: string): Promise<void> {
	const work = join(out, '.work');
	await mkdir(work);
	const list = join(work, 'groups');
	await writeFile(
		list,
		suiteGroups(suite)
			.map(group => `${group.name} ${group.packages.join(' ')}\n`)
			.join(''),
	);
	const script = join(work, 'download.sh');
	await writeFile(script, downloadScript);
	const result = await execa(
		'unshare',
		['--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child', '--', 'bash', script, work, image, out, suite, mirror, list],
		{reject: false, all: true, stdin: 'ignore', timeout: buildTimeoutMs},
	);
	await rm(work, {recursive: true, force: true});
	if (result.exitCode !== 0) {
		const tail = String(result.all ?? '')
			.split('\n')
			.slice(-40)
			.join('\n');
		throw new Error(`the ${suite} apt repository could not be built (exit ${result.exitCode ?? 'none'}${result.timedOut ? ', timed out' : ''}):\n${tail}`);
	}

	await rm(join(out, 'partial'), {recursive: true, force: true});
	await rm(join(out, 'lock'), {force: true});
	const packages = await execa('apt-ftparchive', ['packages', '.'], {cwd: out});
	await writeFile(join(out, 'Packages'), `${packages.stdout}\n`);
	await writeFile(join(out, 'Packages.gz'), gzipSync(`${packages.stdout}\n`));
	const release = await execa(
		'apt-ftparchive',
		['-o', `APT::FTPArchive::Release::Suite=${suite}`, '-o', 'APT::FTPArchive::Release::Origin=waymark-lab', 'release', '.'],
		{cwd: out},
	);
	await writeFile(join(out, 'Release'), `${release.stdout}\n`);
	// apt in the lab reads the repository as its unprivileged _apt user.
	await chmod(out, 0o755);
	for (const name of await readdir(out)) await chmod(join(out, name), 0o644);
}

/** Package names and Provides in a Packages or dpkg status text (only installed entries of a status file). */
export function namesIn(text: string): Set<string> {
	const names = new Set<string>();
	for (const stanza of text.split(/\n\s*\n/)) {
		const field = (name: string): string | undefined => new RegExp(`^${name}: (.*)$`, 'm').exec(stanza)?.[1];
		const status = field('Status');
		if (status !== undefined && !status.endsWith(' installed')) continue;
		const name = field('Package');
		if (name === undefined) continue;
		names.add(name);
		for (const provided of (field('Provides') ?? '').split(',')) {
			const bare = provided.trim().split(/[\s(]/)[0];
			if (bare) names.add(bare);
		}
	}

	return names;
}

/**
 * Every package name (Provides included) that `apt-get install NAME` can satisfy offline inside a lab of this suite:
 * what its repository holds plus what the bare image already has. Builds the image and repository when missing.
 */
export async function installableNames(suite: Suite): Promise<Set<string>> {
	const [image, repo] = await Promise.all([ensureImage(suite), ensureRepo(suite)]);
	const [status, packages] = await Promise.all([readFile(join(image, 'var/lib/dpkg/status'), 'utf8'), readFile(join(repo, 'Packages'), 'utf8')]);
	return new Set([...namesIn(status), ...namesIn(packages)]);
}
