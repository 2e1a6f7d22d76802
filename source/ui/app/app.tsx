import {Box, Text, useApp} from 'ink';
import {useCallback, useRef, useState} from 'react';
import type {CheckReport, RunChannel, RunSummary, StartRequest, WizardSummary} from '../../engine/channel.js';
import type {ParamError, RunStatus} from '../../engine/types.js';
import {requestTargets} from '../check-report/check-findings.js';
import {CheckReportView} from '../check-report/check-report.js';
import {Home} from '../home/home.js';
import {GuideOverview} from '../overview/guide-overview.js';
import {ParamsForm} from '../params-form/params-form.js';
import {withReplay} from '../run/replay-channel.js';
import {RunView} from '../run/run-view.js';
import type {RunCloseTarget} from '../run/use-run-input.js';
import {useAppInput} from './use-app-input.js';
import {type Bindings, type Prefill, type Screen, useNavigationState} from './use-navigation-state.js';

/** How the app ended: the last run's status, or `quit` when the operator left before any run ended. */
export type AppExitStatus = RunStatus | 'quit';

/** Where the app opens instead of the home screen. */
export type AppInitial =
	| {
			readonly screen: 'run';
			/** A run already started (`waymark run`, `waymark resume`). */
			readonly channel: RunChannel;
			/** Exit as soon as the run ends (default true); false waits for ⏎ (home) or q. */
			readonly exitWhenDone?: boolean;
	  }
	| {
			readonly screen: 'guide';
			/** The guide's id. */
			readonly guide: string;
			/** Targets to prefill in the form, by role. */
			readonly bindings?: Bindings;
			/** Answers to prefill in the form. */
			readonly answers?: Readonly<Record<string, unknown>>;
			/** Open the form at once (missing answers of `waymark run`), not the guide's overview. */
			readonly form?: boolean;
	  };

export interface AppProps {
	/** The guides on the home screen. */
	readonly wizards: readonly WizardSummary[];
	/** Saved runs; the ones not done are offered for resuming. */
	readonly runs: readonly RunSummary[];
	/** Reads the saved runs again when the operator comes back home after a run; without it `runs` is shown as given. */
	readonly listRuns?: () => readonly RunSummary[];
	/**
	 * Starts a run from the form's request. May throw or reject: the message (and `errors: ParamError[]`, if present) is
	 * shown on the form. A promise (the engine still loading) must settle before its channel emits anything, as the
	 * engine's does: it starts on the next turn.
	 */
	readonly startRun: (request: StartRequest) => RunChannel | Promise<RunChannel>;
	/** Resumes a saved run. May throw or reject: the message is shown on the home screen. */
	readonly resumeRun: (runId: string) => RunChannel | Promise<RunChannel>;
	/**
	 * Checks the hosts of a request read-only and reports findings per host. Offered as `c` on the guide overview only when given.
	 * May reject: the message is shown where the check was asked for (the form, or the report on `r`).
	 */
	readonly runCheck?: (request: StartRequest) => Promise<CheckReport>;
	/** The targets and answers of a guide's last run (secrets left out), so a new run or a check starts from them. */
	readonly lastRun?: (guide: string) => Prefill | undefined;
	/** Open somewhere other than home. */
	readonly initial?: AppInitial;
	/**
	 * Clears the terminal's screen (its scrollback stays) when the operator goes back home after a run: the run's
	 * finished lines are printed for good above it and would otherwise sit above the home screen.
	 */
	readonly clearScreen?: () => void;
	/** Writes a finished run's answers as an answers file: its path and the command that replays it. May throw: the message is shown. Offered as `s` on the summary. */
	readonly saveAnswers?: (runId: string) => {readonly file: string; readonly replay: string};
	/** Called once, just before the app unmounts itself; the CLI turns the status into an exit code. */
	readonly onExit: (status: AppExitStatus) => void;
}

function problemOf(error: unknown): {message: string; errors?: readonly ParamError[]} {
	const message = error instanceof Error ? error.message : String(error);
	const errors = (error as {errors?: unknown} | undefined)?.errors;
	return Array.isArray(errors) ? {message, errors: errors as ParamError[]} : {message};
}

function initialScreen(initial: AppInitial | undefined, wizards: readonly WizardSummary[]): Screen {
	if (initial?.screen === 'run') {
		return {name: 'run', channel: withReplay(initial.channel), serial: 1};
	}

	if (initial?.screen === 'guide') {
		const wizard = wizards.find(item => item.id === initial.guide);
		if (wizard === undefined) {
			return {name: 'home', problem: `No guide named ${initial.guide}; known: ${wizards.map(item => item.id).join(', ')}`};
		}

		const given = {
			...(initial.bindings === undefined ? {} : {bindings: initial.bindings}),
			...(initial.answers === undefined ? {} : {answers: initial.answers}),
		};
		return initial.form ? {name: 'params', wizard, purpose: 'run', ...given} : {name: 'overview', wizard, ...given};
	}

	return {name: 'home'};
}

/** The whole TUI: home → guide overview → targets and parameters → run (or check report → fixing run) → summary. */
export function App({wizards, runs, listRuns, startRun, resumeRun, runCheck, lastRun, initial, clearScreen, saveAnswers, onExit}: AppProps) {
	const {exit} = useApp();
	// The first screen is chosen once, from the props the app started with; later prop changes do not move it.
	const [first] = useState(() => initialScreen(initial, wizards));
	const nav = useNavigationState(first);
	const {screen} = nav.state;
	const exited = useRef(false);
	const [savedRuns, setSavedRuns] = useState(runs);
	const checks = useRef(0);

	const finish = useCallback(
		(status: AppExitStatus) => {
			if (exited.current) {
				return;
			}

			exited.current = true;
			onExit(status);
			exit();
		},
		[onExit, exit],
	);

	const quit = useCallback(() => {
		finish(nav.state.lastStatus ?? 'quit');
	}, [finish, nav.state.lastStatus]);
	useAppInput({onQuit: quit, isActive: screen.name !== 'run'});

	const exitWhenDone = initial?.screen === 'run' && initial.exitWhenDone !== false && nav.state.runs === 1;
	const onRunEnd = useCallback(
		(status: RunStatus) => {
			nav.runEnded(status);
			if (exitWhenDone) {
				finish(status);
			}
		},
		[nav.runEnded, exitWhenDone, finish],
	);
	const check = useCallback(
		(request: StartRequest) => {
			if (runCheck === undefined) {
				return;
			}

			checks.current++;
			const serial = checks.current;
			nav.checkStarted(serial, request);
			// A synchronous throw is reported like a rejection.
			Promise.resolve()
				.then(async () => runCheck(request))
				.then(
					report => {
						nav.checkDone(serial, report);
					},
					(error: unknown) => {
						nav.checkFailed(serial, problemOf(error).message);
					},
				);
		},
		[runCheck, nav.checkStarted, nav.checkDone, nav.checkFailed],
	);
	const start = useCallback(
		(request: StartRequest) => {
			whenStarted(
				() => startRun(request),
				channel => {
					nav.showRun(channel);
				},
				error => {
					nav.reject(problemOf(error));
				},
			);
		},
		[startRun, nav.showRun, nav.reject],
	);
	const onRunClose = useCallback(
		(status: RunStatus, then: RunCloseTarget) => {
			if (then === 'exit') {
				finish(status);
				return;
			}

			if (listRuns !== undefined) {
				setSavedRuns(listRuns());
			}

			clearScreen?.();
			nav.home();
		},
		[finish, nav.home, listRuns, clearScreen],
	);

	switch (screen.name) {
		case 'home': {
			return (
				<Box flexDirection="column">
					<Home
						wizards={wizards}
						runs={savedRuns}
						onOpenGuide={nav.openGuide}
						onResume={run => {
							whenStarted(
								() => resumeRun(run.id),
								channel => {
									nav.showRun(channel);
								},
								error => {
									nav.home(problemOf(error).message);
								},
							);
						}}
						onQuit={quit}
					/>
					{screen.problem === undefined ? null : <Text color="red">✗ {screen.problem}</Text>}
				</Box>
			);
		}

		case 'overview': {
			return (
				<GuideOverview
					wizard={screen.wizard}
					onContinue={() => {
						nav.configure('run', lastRun?.(screen.wizard.id));
					}}
					onBack={nav.back}
					{...(runCheck === undefined
						? {}
						: {
								onCheck() {
									nav.configure('check', lastRun?.(screen.wizard.id));
								},
							})}
				/>
			);
		}

		case 'params': {
			return (
				<ParamsForm
					wizard={screen.wizard}
					{...(screen.bindings === undefined ? {} : {bindings: screen.bindings})}
					{...(screen.answers === undefined ? {} : {answers: screen.answers})}
					{...(screen.rejection === undefined ? {} : {rejection: screen.rejection})}
					{...(screen.pending === undefined ? {} : {busy: `Checking ${requestTargets(screen.pending.request)}…`})}
					submitLabel={screen.purpose === 'check' ? 'check' : 'start'}
					onBack={nav.back}
					onSubmit={screen.purpose === 'check' ? check : start}
				/>
			);
		}

		case 'check': {
			return (
				<CheckReportView
					key={screen.serial}
					report={screen.report}
					wizard={screen.wizard}
					{...(screen.pending === undefined ? {} : {checking: requestTargets(screen.pending.request)})}
					{...(screen.problem === undefined ? {} : {problem: screen.problem})}
					onFix={only => {
						start({...screen.request, only});
					}}
					onRecheck={() => {
						if (screen.pending === undefined) {
							check(screen.request);
						}
					}}
					onBack={nav.back}
					onQuit={quit}
				/>
			);
		}

		case 'run': {
			return (
				<RunView
					key={screen.serial}
					channel={screen.channel}
					onEnd={onRunEnd}
					{...(exitWhenDone ? {} : {onClose: onRunClose, ...(saveAnswers === undefined ? {} : {onSaveAnswers: saveAnswers})})}
				/>
			);
		}
	}
}

/**
 * A channel is wrapped (its early events kept) the moment it exists: at once when `start` returns one, else as soon as
 * its promise settles.
 */
function whenStarted(start: () => RunChannel | Promise<RunChannel>, show: (channel: RunChannel) => void, fail: (error: unknown) => void): void {
	let started: RunChannel | Promise<RunChannel>;
	try {
		started = start();
	} catch (error) {
		fail(error);
		return;
	}

	if (started instanceof Promise) {
		started.then(channel => {
			show(withReplay(channel));
		}, fail);
	} else {
		show(withReplay(started));
	}
}
