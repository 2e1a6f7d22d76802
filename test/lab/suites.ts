// The Debian releases lab hosts boot: one place for their names, versions and the mirror used to build them.

export type Suite = 'bookworm' | 'trixie';

export const suites: readonly Suite[] = ['bookworm', 'trixie'];

/** VERSION_ID in the suite's /etc/os-release. */
export const debianVersion: Readonly<Record<Suite, string>> = {bookworm: '12', trixie: '13'};

/** The only address outside this machine anything here contacts, and only while building the cache. */
export const mirror = 'http://deb.debian.org/debian';

export function isSuite(value: string): value is Suite {
	return (suites as readonly string[]).includes(value);
}
