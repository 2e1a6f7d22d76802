// The guide's "How to create a LXC image": stop, archive with numeric owners, copy, extract, with progress.
import {answerText} from '../../source/engine/params.js';
import {StepFailure} from '../../source/engine/errors.js';
import {command, quote} from '../../source/targets/quote.js';
import {defineStep, type Parsed} from '../../source/engine/step.js';
import type {Step, StepContext} from '../../source/engine/types.js';
import {commandOutput} from '../../source/facts/command.js';
import {fileText} from '../../source/facts/files.js';
import {parseTargetSpec} from '../../source/targets/spec.js';
import {noop, plan} from '../common/plan-helpers.js';
import {progressFunction, withProgress} from './transfer-progress.js';

/** Whether this hypervisor is the one named in lxcFrom (its host as in the inventory or --target). */
export function isSource(ctx: StepContext): boolean {
	const spec = parseTargetSpec(ctx.target.label).spec;
	return spec?.kind === 'ssh' ? spec.host === answerText(ctx.answers, 'lxcFrom') : ctx.target.label === answerText(ctx.answers, 'lxcFrom');
}

/** ssh from the source to the destination, never prompting (a missing key fails at once with the reason). */
export function sshTo(destination: string): string {
	const [login = '', port] = destination.split(/:(?=\d+$)/);
	return `ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new${port ? ` -p ${port}` : ''} ${quote(login)}`;
}

export function lxcMoveScript(ctx: StepContext): string {
	const name = answerText(ctx.answers, 'lxcContainer');
	const dir = `${answerText(ctx.answers, 'lxcDir')}/${name}`;
	const archive = `${answerText(ctx.answers, 'lxcDir')}/${name}.waymark.tar.gz`;
	const ssh = sshTo(answerText(ctx.answers, 'lxcTo'));
	const remote = (script: string) => `${ssh} ${quote(script)}`;
	// The destination writes the archive under a temporary name, so a cut copy never looks finished.
	const receive = remote(`mkdir -p ${quote(dir)} && cat > ${quote(archive)}.part && mv ${quote(archive)}.part ${quote(archive)}`);
	return [
		'set -e',
		progressFunction,
		`if command -v lxc-info >/dev/null 2>&1 && lxc-info -n ${quote(name)} -s 2>/dev/null | grep -q RUNNING; then lxc-stop -n ${quote(name)}; fi`,
		`size=$(du -sb ${quote(dir)} | cut -f1)`,
		withProgress(`tar --numeric-owner -cf - -C ${quote(dir)} .`, 'archive', '"$size"', `gzip > ${quote(archive)}`),
		`progress copy "$(stat -c %s ${quote(archive)})" < ${quote(archive)} | ${receive}`,
		remote(`tar --numeric-owner -xzf ${quote(archive)} -C ${quote(dir)} && rm -f ${quote(archive)}`),
		command('rm', '-f', archive),
		`echo ${quote(`${name} is on ${answerText(ctx.answers, 'lxcTo')}; start it there with lxc-start -n ${name}`)}`,
	].join('\n');
}

/** What the source hypervisor reads: its container's config, and whether the destination has it already. */
function moveFacts(ctx: StepContext) {
	const name = answerText(ctx.answers, 'lxcContainer');
	const config = `${answerText(ctx.answers, 'lxcDir')}/${name}/config`;
	return {
		config: fileText(config),
		moved: commandOutput(`${sshTo(answerText(ctx.answers, 'lxcTo'))} ${quote(`test -f ${quote(config)} && echo moved`)} 2>&1`),
	};
}

export function lxcMoveStep(options: {role: string}): Step {
	return defineStep({
		id: 'lxc-move',
		title: 'Move an LXC container to another hypervisor',
		why:
			'The guide moves a container by stopping it, `tar --numeric-owner -czvf` of /var/lib/lxc/NAME, rsync to the new server and ' +
			'extracting it there with --numeric-owner (so the ids inside the container stay the same). Here it runs on the source hypervisor ' +
			'(lxcFrom) when lxcContainer is set: stop, archive and copy with a percentage as bytes go (pv), extract on the destination over ssh ' +
			'with BatchMode, and nothing is done once the destination has the container. The source keeps its stopped copy.',
		role: options.role,
		params: ['lxcContainer', 'lxcFrom', 'lxcTo', 'lxcDir'],
		risk: 'data',
		// Only the source reads anything: the other hypervisors never ssh to the destination.
		facts: ctx => (answerText(ctx.answers, 'lxcContainer') === '' || !isSource(ctx) ? {} : moveFacts(ctx)),
		// Nothing to export where nothing is asked for; a one-off transfer with its progress stays Waymark's.
		ansible(ctx) {
			if (answerText(ctx.answers, 'lxcContainer') !== '') {
				throw new Error(`a one-off transfer is not exported; run it with Waymark: waymark run GUIDE --only lxc-move`);
			}

			return {tasks: []};
		},
		plan(ctx, facts) {
			const name = answerText(ctx.answers, 'lxcContainer');
			if (name === '') {
				return noop('No container to move (lxcContainer is empty).');
			}

			if (!isSource(ctx)) {
				return noop(`${name} moves from ${answerText(ctx.answers, 'lxcFrom')}, not from this hypervisor.`);
			}

			// Here, on the source with a container named, the table was moveFacts'.
			const source = facts as Parsed<ReturnType<typeof moveFacts>>;
			if (source.moved === 'moved') {
				return noop(`${name} is already on ${answerText(ctx.answers, 'lxcTo')}.`);
			}

			if (source.config === null) {
				throw new StepFailure(
					`There is no container ${name} here (no ${answerText(ctx.answers, 'lxcDir')}/${name}/config).`,
					'Check lxcContainer and lxcFrom (lxc-ls lists the containers), then retry.',
				);
			}

			return plan([
				{
					kind: 'command',
					title: `Stop ${name}, archive it with numeric owners, copy it to ${answerText(ctx.answers, 'lxcTo')} and extract it there`,
					script: lxcMoveScript(ctx),
				},
			]);
		},
	});
}
