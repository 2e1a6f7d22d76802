// Fills the uwsgi-node params form as an operator would: the shared opening of the app tests that go through the form.
import {waitFor} from './wait-for.js';

/** What the helpers need of a rendered app. */
export interface Typist {
	readonly lastFrame: () => string | undefined;
	readonly stdin: {readonly write: (data: string) => void};
}

/** The answers the form sends after `fillNodeForm`: node_ip typed, the rest at their defaults. */
export const nodeAnswers = {node_ip: '192.0.2.7', ssh_port: '22', scheduler: 'deadline', quota: true, api_key: ''} as const;

/**
 * From the focused target field: types `target` (when the field is not prefilled), then node_ip, and tabs to the last
 * field, where ⏎ sends the form.
 */
export async function fillNodeForm({lastFrame, stdin}: Typist, target?: string): Promise<void> {
	await waitFor(lastFrame, '❯ target for server');
	if (target !== undefined) {
		stdin.write(target);
		await waitFor(lastFrame, `target for server  ${target}`);
	}

	stdin.write('\r');
	await waitFor(lastFrame, '❯ node_ip');
	stdin.write(nodeAnswers.node_ip);
	await waitFor(lastFrame, nodeAnswers.node_ip);
	for (let field = 0; field < 4; field++) {
		stdin.write('\t');
	}

	await waitFor(lastFrame, '❯ api_key');
}
