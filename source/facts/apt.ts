// What dpkg says is installed, by every name a package answers to (its own and what it provides).
import type {FactDef} from '../engine/step.js';

/**
 * Every installed package with what it provides, one per line (`ii \tNAME\tPROVIDES`): a name the guide uses may be
 * virtual (libpam-dev is provided by libpam0g-dev), and dpkg never reports a virtual name as installed.
 */
export const installedPackagesProbe = `dpkg-query -W -f='\${db:Status-Abbrev}\\t\${Package}\\t\${Provides}\\n' 2>/dev/null | grep '^ii'; true`;

/** The names installed packages answer to: their own (without :arch) and every name they provide. */
export function installedSet(text: string | undefined): Set<string> {
	const names = new Set<string>();
	for (const line of (text ?? '').split('\n')) {
		const [status = '', name = '', provides = ''] = line.split('\t');
		if (status.trim() !== 'ii' || name === '') {
			continue;
		}

		names.add(name.replace(/:.*$/, ''));
		for (const provided of provides.split(',')) {
			// "libcomerr2 (= 1.47.2-3)": the name before any version.
			const bare = provided.trim().split(/\s/)[0];
			if (bare) {
				names.add(bare.replace(/:.*$/, ''));
			}
		}
	}

	return names;
}

/** The installed package names; undefined when the target cannot be asked (offline) or has no dpkg. */
export function installedPackages(): FactDef<ReadonlySet<string> | undefined> {
	return {
		request: {kind: 'command', command: installedPackagesProbe},
		parse: fact => (fact.unavailable || fact.exitCode !== 0 ? undefined : installedSet(fact.text)),
	};
}
