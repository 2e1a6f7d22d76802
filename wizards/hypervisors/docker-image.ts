// The guide's "How to create a DOCKER image": docker save | gzip into NAME.maas, the file the MaaS hands out.
import {answerText} from '../../source/engine/params.js';
import {StepFailure} from '../../source/engine/errors.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep, type Parsed} from '../../source/engine/step.js';
import type {Step, StepContext} from '../../source/engine/types.js';
import {commandOutput, commandResult} from '../../source/facts/command.js';
import {noop, plan} from '../common/plan-helpers.js';
import {progressFunction, withProgress} from './transfer-progress.js';

/** `repo/name:tag` → `/dir/repo_name_tag.maas`. */
export function maasImagePath(ctx: StepContext): string {
	return `${answerText(ctx.answers, 'imageDir')}/${answerText(ctx.answers, 'dockerImage').replaceAll(/[^\w.-]/g, '_')}.maas`;
}

export function dockerSaveScript(ctx: StepContext): string {
	const image = quote(answerText(ctx.answers, 'dockerImage'));
	const out = quote(maasImagePath(ctx));
	return [
		'set -e',
		progressFunction,
		`mkdir -p ${quote(answerText(ctx.answers, 'imageDir'))}`,
		`size=$(docker image inspect -f '{{.Size}}' ${image})`,
		withProgress(`docker save ${image}`, 'save', '"$size"', `gzip > ${out}.part`),
		`mv -f ${out}.part ${out}`,
		`docker image inspect -f '{{.Id}}' ${image} > ${out}.id`,
	].join('\n');
}

/** What is read once an image is asked for: its id now, the id saved beside the .maas file, and what runs from it. */
function imageFacts(ctx: StepContext) {
	const image = answerText(ctx.answers, 'dockerImage');
	return {
		// The whole answer: offline (undefined) is told apart from an image docker does not have (a failed inspect).
		id: commandResult(`docker image inspect -f '{{.Id}}' ${quote(image)}`),
		saved: commandOutput(`cat ${quote(`${maasImagePath(ctx)}.id`)}`),
		running: commandOutput(`docker ps -q --filter ancestor=${quote(image)}`),
	};
}

export function dockerImageStep(options: {role: string}): Step {
	return defineStep({
		id: 'docker-image',
		title: 'Save a Docker image as .maas',
		why:
			'The guide checks that no container runs from the image (`docker ps`), saves it with `docker save IMAGE | gzip > IMAGE.tar.gz` and ' +
			'renames it to IMAGE.maas for the MaaS. Here that runs when dockerImage is set, with a percentage as the image is written, into ' +
			'imageDir; the image id is kept beside the file, so the image is saved again only when it changed. Saving does not need the ' +
			'containers stopped, so running ones are only named.',
		role: options.role,
		params: ['dockerImage', 'imageDir'],
		facts: ctx => (answerText(ctx.answers, 'dockerImage') === '' ? {} : imageFacts(ctx)),
		// Nothing to export where nothing is asked for; a one-off transfer with its progress stays Waymark's.
		ansible(ctx) {
			if (answerText(ctx.answers, 'dockerImage') !== '') {
				throw new Error(`a one-off transfer is not exported; run it with Waymark: waymark run GUIDE --only docker-image`);
			}

			return {tasks: []};
		},
		plan(ctx, facts) {
			const image = answerText(ctx.answers, 'dockerImage');
			if (image === '') {
				return noop('No Docker image to save (dockerImage is empty).');
			}

			// With an image asked for, the table was imageFacts'.
			const asked = facts as Parsed<ReturnType<typeof imageFacts>>;
			const id = asked.id?.exitCode === 0 ? asked.id.text.trim() : undefined;
			if (id === undefined && asked.id !== undefined) {
				throw new StepFailure(
					`Docker has no image ${image} on ${ctx.target.label} (or docker is not installed).`,
					'`docker image ls` lists the images; fix dockerImage, then retry.',
				);
			}

			if (id !== undefined && asked.saved === id) {
				return noop(`${maasImagePath(ctx)} holds ${image} (${id.slice(0, 19)}).`);
			}

			const running = (asked.running ?? '').split('\n').filter(Boolean);
			return plan(
				[{kind: 'command', title: `docker save ${image} | gzip > ${maasImagePath(ctx)}`, script: dockerSaveScript(ctx)}],
				running.length > 0 ? [`${running.length} container(s) run from ${image}; the saved image is the same either way.`] : [],
			);
		},
	});
}
