// Line output for pipes, serial consoles and screen readers: one line per step start and end,
// plans and diffs, output prefixed with its target, and enquirer prompts when someone can answer.
import type {RunChannel} from '../engine/channel.js';
import type {EngineEvent, PromptChoice, RunStatus, StepStatus} from '../engine/types.js';
import {finishedStatuses, unitKey} from '../engine/run-record.js';
import {
	applyStepQuestion,
	cleanLine,
	differenceText,
	driftText,
	dryRunLines,
	failedQuestion,
	orphanQuestion,
	nextText,
	notDoneLines,
	platformLine,
	resumeCommand,
	riskSentence,
	runTitle,
	statusWord,
	stoppingText,
	summaryText,
} from '../wording/index.js';
import {askChoice, askYesNo, PromptCanceledError} from './enquirer-prompts.js';
import {planLines} from './plan-lines.js';

export interface PlainOptions {
	/** Where lines go. */
	readonly stdout: NodeJS.WritableStream;
	/** Where answers come from, when `interactive`. */
	readonly stdin: NodeJS.ReadableStream;
	/** Someone can answer prompts (decided once, by the CLI); otherwise prompts are answered `abort`. */
	readonly interactive: boolean;
}

type PromptEvent = Extract<EngineEvent, {readonly type: 'prompt'}>;

const choiceText: Record<PromptChoice, string> = {
	apply: 'Apply',
	skip: 'Skip this step',
	retry: 'Retry',
	abort: 'Abort the run',
	wait: 'Wait for it to finish',
	end: 'End it (SIGTERM, then SIGKILL)',
};

/** The line that says why a prompt could not be asked, and what answers it instead. */
export function unansweredText(prompt: PromptEvent, title: string, runId: string | undefined): string {
	if (prompt.kind === 'confirm') {
		const risk = prompt.risk === undefined ? '' : ` (${prompt.risk} risk)`;
		return `Stopped: ${title} on ${prompt.target} needs confirmation${risk} and there is no terminal to ask; pass --yes to apply without asking.`;
	}

	return `Stopped: ${title} failed on ${prompt.target} and there is no terminal to ask whether to retry or skip; fix the cause, then: ${resumeCommand(runId)}`;
}

/**
 * Prints a run as lines until it ends; resolves with its status.
 * Subscribes at once: call it before the run emits its first event.
 */
export async function renderPlain(channel: RunChannel, {stdout, stdin, interactive}: PlainOptions): Promise<RunStatus> {
	let runId: string | undefined;
	const positions = new Map<string, number>();
	const titles = new Map<string, string>();
	let total = 0;
	// A dry run ends with what would change, not with a hint to run it again.
	let dryRun = false;
	const wouldChange: string[] = [];
	// While a prompt is on screen, lines wait here so they do not tear it.
	let held: string[] | undefined;
	const prompts: PromptEvent[] = [];
	let asking = false;
	let stopping = false;
	let fail: (error: Error) => void = () => {};

	const print = (...lines: string[]) => {
		if (held === undefined) {
			stdout.write(`${lines.join('\n')}\n`);
		} else {
			held.push(...lines);
		}
	};

	const titleOf = (stepId: string, target: string) => titles.get(unitKey(stepId, target)) ?? stepId;

	const ask = async (prompt: PromptEvent): Promise<PromptChoice | 'stop'> => {
		const title = titleOf(prompt.stepId, prompt.target);
		const question =
			prompt.kind === 'confirm'
				? applyStepQuestion(title, prompt.target)
				: prompt.kind === 'orphan'
					? orphanQuestion(title, prompt.target, prompt.pid)
					: failedQuestion(title, prompt.target);
		const streams = {stdin, stdout};
		const choices = prompt.choices;
		if (prompt.kind === 'confirm' && choices.length === 2 && choices.includes('apply')) {
			const other = choices.find(choice => choice !== 'apply')!;
			return (await askYesNo(prompt.promptId, `${question} (no: ${other})`, streams, prompt.risk === undefined)) ? 'apply' : other;
		}

		const options = [...choices.map(choice => ({name: choice, message: choiceText[choice]})), {name: 'stop', message: 'Stop here (resume later)'}];
		const answer = await askChoice(prompt.promptId, question, options, streams);
		return answer as PromptChoice | 'stop';
	};

	// Prompts are asked one at a time, in the order they came.
	const drainPrompts = async () => {
		if (asking) {
			return;
		}

		asking = true;
		while (prompts.length > 0) {
			const prompt = prompts.shift()!;
			if (stopping) {
				continue;
			}

			held = [];
			let answer: PromptChoice | 'stop';
			try {
				answer = await ask(prompt);
			} catch (error) {
				if (!(error instanceof PromptCanceledError)) {
					throw error;
				}

				answer = 'stop';
			}

			const waiting = held;
			held = undefined;
			if (waiting.length > 0) {
				print(...waiting);
			}

			if (answer === 'stop') {
				stopping = true;
				print(stoppingText(runId));
				channel.interrupt();
			} else {
				channel.decide(prompt.promptId, answer);
			}
		}

		asking = false;
	};

	const onEvent = (event: EngineEvent) => {
		switch (event.type) {
			case 'run-start': {
				runId = event.runId;
				total = event.steps.length;
				dryRun = event.dryRun === true;
				for (const [index, step] of event.steps.entries()) {
					positions.set(unitKey(step.stepId, step.target), index + 1);
					titles.set(unitKey(step.stepId, step.target), step.title);
				}

				print(`${runTitle(event.runId, event.wizard)}: ${total} steps${event.resumed ? `, ${resumingText(event.steps)}` : ''}`);
				break;
			}

			case 'facts': {
				break;
			}

			case 'preflight': {
				print(platformLine(event.target, event.platform));
				for (const difference of event.differences) {
					print(`  ${differenceText(difference)}`);
				}

				break;
			}

			case 'drift': {
				print(`Drift: ${driftText(titleOf(event.stepId, event.target), event.target, event.summary)}`);
				break;
			}

			case 'step-start': {
				titles.set(unitKey(event.stepId, event.target), event.title);
				const position = positions.get(unitKey(event.stepId, event.target));
				print(`Step ${position === undefined ? '' : `${position}/${total}: `}${event.title} on ${event.target}`);
				if (interactive && event.why !== '') {
					print(`  Why: ${event.why}`);
				}

				break;
			}

			case 'plan': {
				const lines = planLines(event.plan);
				if (lines.length > 0) {
					print(...lines);
				}

				if (dryRun && event.plan.items.length > 0) {
					wouldChange.push(`${titles.get(unitKey(event.stepId, event.target)) ?? event.stepId} on ${event.target}`);
				}

				break;
			}

			case 'output': {
				print(...event.lines.map(line => `${event.target} | ${cleanLine(line)}`));
				break;
			}

			case 'check': {
				print(`  Check ${event.check.status}: ${event.check.title}${event.check.evidence === '' ? '' : ` — ${event.check.evidence}`}`);
				break;
			}

			case 'step-end': {
				print(`${statusWord[event.status]}: ${titleOf(event.stepId, event.target)} on ${event.target}${event.message === '' ? '' : ` — ${event.message}`}`);
				if (event.remedy !== undefined && event.remedy !== '') {
					print(`  Remedy: ${event.remedy}`);
				}

				break;
			}

			case 'prompt': {
				if (event.risk !== undefined) {
					print(`  Risk: ${riskSentence(event.risk)}`);
				}

				if (!interactive) {
					print(unansweredText(event, titleOf(event.stepId, event.target), runId));
					channel.decide(event.promptId, 'abort');
					break;
				}

				prompts.push(event);
				drainPrompts().catch((error: unknown) => {
					fail(error as Error);
				});
				break;
			}

			case 'run-end': {
				print(
					summaryText(event.status, event.counts),
					...(event.lost ? [event.lost.message, event.lost.remedy] : []),
					...notDoneLines(event.notDone),
					...(dryRun ? dryRunLines(wouldChange) : event.lost ? [] : [nextText(event.status, event.runId, channel.checkCommand)]),
				);
				break;
			}
		}
	};

	return new Promise<RunStatus>((resolve, reject) => {
		fail = reject;
		let ended = false;
		const unsubscribe = channel.subscribe(event => {
			if (ended) {
				return;
			}

			try {
				onEvent(event);
			} catch (error) {
				reject(error as Error);
			}

			if (event.type === 'run-end') {
				ended = true;
				// Deferred: the event may arrive while `subscribe` itself is still running.
				queueMicrotask(() => {
					unsubscribe();
				});
				resolve(event.status);
			}
		});
	});
}

/** Where a resume picks up, in the same terms as `waymark runs`: finished steps are done, a failed one is tried again. */
export function resumingText(steps: readonly {readonly status: StepStatus}[]): string {
	const done = steps.filter(step => finishedStatuses.has(step.status)).length;
	const failed = steps.filter(step => step.status === 'failed').length;
	return `resuming after ${done} done${failed > 0 ? `, ${failed} failed to try again` : ''}`;
}
