// Mounts the Ink TUI for the home screen or a run; the one place the CLI touches React.
import {createElement} from 'react';
import {render as inkRender} from 'ink';
import type {RunChannel, StartRequest, WizardSummary} from './engine/channel.js';
import {exitCodes} from './engine/errors.js';
import type {Wizard} from './engine/types.js';
import type {SessionOptions} from './session.js';
import {RunStore} from './store/runs.js';
import {saveRunAnswers} from './save-run-answers.js';
import {App, type AppExitStatus, type AppInitial} from './ui/index.js';
import {UsageError} from './engine/errors.js';
import {wizards, findWizard} from '../wizards/index.js';

export type RenderRequest =
	| {readonly kind: 'home'; readonly home: string; readonly flags: SessionOptions; readonly initial?: AppInitial}
	| {readonly kind: 'run'; readonly channel: RunChannel};

export function summarizeWizard(wizard: Wizard): WizardSummary {
	return {
		id: wizard.id,
		title: wizard.title,
		summary: wizard.summary,
		roles: wizard.roles,
		params: wizard.params,
		steps: wizard.steps.map(step => ({id: step.id, title: step.title, why: step.why, role: step.role, ...(step.risk ? {risk: step.risk} : {})})),
		notDoneHere: wizard.notDoneHere ?? [],
	};
}

const exitFor: Record<AppExitStatus, number> = {
	done: exitCodes.done,
	failed: exitCodes.failed,
	interrupted: exitCodes.interrupted,
	running: exitCodes.interrupted,
	quit: exitCodes.done,
};

export async function render(request: RenderRequest): Promise<number> {
	let status: AppExitStatus = 'quit';
	const onExit = (value: AppExitStatus) => {
		status = value;
	};

	const props =
		request.kind === 'run'
			? {
					wizards: wizards.map(wizard => summarizeWizard(wizard)),
					runs: [],
					startRun: refuse,
					resumeRun: refuse,
					initial: {screen: 'run', channel: request.channel} as const,
					onExit,
				}
			: {...homeProps(request.home, request.flags, onExit), ...(request.initial ? {initial: request.initial} : {})};
	// Redraws are throttled: a chatty command must not repaint the terminal hundreds of times a second.
	const instance = inkRender(createElement(App, props), {exitOnCtrlC: false, maxFps: 20});
	// The engine and the ssh client code are not needed for the first frame: they load while the operator reads it.
	setImmediate(() => {
		import('./session.js').catch(() => {
			// A load failure is reported where a run starts.
		});
	});
	await instance.waitUntilExit();
	return exitFor[status];
}

function refuse(): RunChannel {
	throw new Error('Only one run at a time from the command line.');
}

function homeProps(home: string, flags: SessionOptions, onExit: (status: AppExitStatus) => void) {
	const store = new RunStore(home);
	return {
		wizards: wizards.map(wizard => summarizeWizard(wizard)),
		runs: store.list(),
		listRuns: () => store.list(),
		// Erase the screen and home the cursor; what scrolled off stays in the terminal's scrollback.
		clearScreen: () => process.stdout.write('\u001B[2J\u001B[H'),
		lastRun(guide: string) {
			// The newest readable run of the guide; its answers never hold secrets (those are asked again).
			for (const id of store
				.ids()
				.filter(each => each.startsWith(`${guide}-`))
				.reverse()) {
				try {
					const record = store.load(id);
					if (record) {
						return {bindings: record.bindings, answers: record.answers};
					}
				} catch {
					// An unreadable run file is named by `waymark runs`; the form just starts empty.
				}
			}

			return undefined;
		},
		async startRun(request: StartRequest) {
			const wizard = findWizard(request.guide);
			if (!wizard) {
				throw new UsageError(`Unknown guide ${request.guide}`, 'Pick one from the list.');
			}

			const {startSession} = await import('./session.js');
			return startSession(wizard, request, flags);
		},
		async runCheck(request: StartRequest) {
			const wizard = findWizard(request.guide);
			if (!wizard) {
				throw new UsageError(`Unknown guide ${request.guide}`, 'Pick one from the list.');
			}

			const {checkSession} = await import('./check-command.js');
			return checkSession(wizard, request, flags);
		},
		saveAnswers: (runId: string) => saveRunAnswers(store, runId),
		async resumeRun(runId: string) {
			const record = store.load(runId);
			const wizard = record && findWizard(record.guide);
			if (!record || !wizard) {
				throw new UsageError(`No saved run ${runId}`, 'Pick one from the list.');
			}

			const {resumeSession} = await import('./session.js');
			return resumeSession(wizard, record, {}, flags);
		},
		onExit,
	};
}
