// Where runs, transcripts and secrets live: WAYMARK_HOME, else the platform's config directory.
import {homedir} from 'node:os';
import {join} from 'node:path';

export function waymarkHome(env: NodeJS.ProcessEnv = process.env): string {
	if (env.WAYMARK_HOME) {
		return env.WAYMARK_HOME;
	}

	const base = env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
	return join(base, 'waymark');
}
