// The Ink TUI: one folder per screen (view, state hook, input hook), small parts in components/.
export {App, type AppProps, type AppInitial, type AppExitStatus} from './app/app.js';
export {
	useNavigationState,
	navigationReducer,
	type Screen,
	type NavigationState,
	type NavigationAction,
	type Bindings,
	type FormPurpose,
	type PendingCheck,
	type UseNavigationStateResult,
} from './app/use-navigation-state.js';
export {useAppInput, type UseAppInputOptions} from './app/use-app-input.js';

export {Home, type HomeProps} from './home/home.js';
export {guideLabels, runLabels} from './home/home-rows.js';
export {useHomeState, homeReducer, type HomeFocus, type HomeState, type HomeAction, type UseHomeStateResult} from './home/use-home-state.js';
export {useHomeInput, type UseHomeInputOptions} from './home/use-home-input.js';
export {ResumePrompt, type ResumePromptProps} from './resume-prompt/resume-prompt.js';
export {useResumePromptInput, type UseResumePromptInputOptions} from './resume-prompt/use-resume-prompt-input.js';

export {GuideOverview, type GuideOverviewProps} from './overview/guide-overview.js';
export {useOverviewInput, type UseOverviewInputOptions} from './overview/use-overview-input.js';

export {ParamsForm, type ParamsFormProps, type FormRejection} from './params-form/params-form.js';
export {FormFieldRow, type FormFieldRowProps} from './params-form/form-field.js';
export {
	useParamsFormState,
	paramsFormReducer,
	type ParamsFormState,
	type ParamsFormAction,
	type UseParamsFormStateResult,
} from './params-form/use-params-form-state.js';
export {useParamsFormInput, type UseParamsFormInputOptions} from './params-form/use-params-form-input.js';
export {formFields, validateField, validateAll, startRequest, type FormField, type FieldKind, type FieldValue} from './params-form/form-fields.js';

export {RunView, type RunViewProps, tailHeight} from './run/run-view.js';
export {FinishedLine, type FinishedLineProps, type NoteTone} from './run/finished-line.js';
export {LiveStepView, type LiveStepViewProps} from './run/live-step-view.js';
export {PlanView, type PlanViewProps, planHasMore} from './run/plan-view.js';
export {PromptView, type PromptViewProps} from './run/prompt-view.js';
export {RunSummary, type RunSummaryProps} from './run/run-summary.js';
export {
	useRunState,
	runReducer,
	initialRunState,
	outputKeep,
	type RunState,
	type RunAction,
	type RunViewStatus,
	type FinishedItem,
	type LiveStep,
	type PendingPrompt,
	type OutputTail as OutputTailState,
	type UseRunStateResult,
} from './run/use-run-state.js';
export {useRunInput, type UseRunInputOptions, type RunCloseTarget} from './run/use-run-input.js';
export {startEventPump, defaultFlushMs, type EventPumpOptions, type OutputBatch, type RunInput} from './run/event-pump.js';
export {withReplay} from './run/replay-channel.js';

export {CheckReportView, type CheckReportViewProps} from './check-report/check-report.js';
export {CheckHost, type CheckHostProps} from './check-report/check-host.js';
export {FindingRow, type FindingRowProps} from './check-report/finding-row.js';
export {
	useCheckReportState,
	checkReportReducer,
	initialCheckReportState,
	shownFindings,
	type CheckReportState,
	type CheckReportAction,
	type UseCheckReportStateOptions,
	type UseCheckReportStateResult,
} from './check-report/use-check-report-state.js';
export {useCheckReportInput, type UseCheckReportInputOptions} from './check-report/use-check-report-input.js';
export {hostReports, displayOrder, needsAttention, isShown, fixSteps, requestTargets, type HostReport} from './check-report/check-findings.js';

export {Badge, type BadgeProps, type BadgeVariant} from './components/badge.js';
export {DiffView, type DiffViewProps} from './components/diff-view.js';
export {KeyHints, type KeyHintsProps, type KeyHint} from './components/key-hints.js';
export {OutputTail, type OutputTailProps} from './components/output-tail.js';
export {StepLine, type StepLineProps} from './components/step-line.js';

// Names this entry has always exported, kept for its callers: the hooks took their files' names,
// the check report's keys moved to useCheckReportInput, and the shared words to source/wording/.
export {useNavigationState as useNavigation, type UseNavigationStateResult as UseNavigationResult} from './app/use-navigation-state.js';
export {useParamsFormState as useParamsForm, type UseParamsFormStateResult as UseParamsFormResult} from './params-form/use-params-form-state.js';
export {
	useCheckReportState as useCheckReport,
	type UseCheckReportStateOptions as UseCheckReportOptions,
	type UseCheckReportStateResult as UseCheckReportResult,
} from './check-report/use-check-report-state.js';
export {checkCounts, checkCountsText as countsText, platformText, cleanLine} from '../wording/index.js';
