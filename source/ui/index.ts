// The Ink TUI: screens, their parts, and the hooks behind them.
export {App, type AppProps, type AppInitial, type AppExitStatus} from './app.js';
export {Home, type HomeProps, type HomeFocus, guideLabels, runLabels} from './home.js';
export {ResumePrompt, type ResumePromptProps} from './resume-prompt.js';
export {GuideOverview, type GuideOverviewProps} from './guide-overview.js';
export {ParamsForm, type ParamsFormProps, type FormRejection} from './params-form.js';
export {FormFieldRow, type FormFieldRowProps} from './form-field.js';
export {RunView, type RunViewProps, tailHeight} from './run-view.js';
export {LiveStepView, type LiveStepViewProps} from './live-step-view.js';
export {PlanView, type PlanViewProps, planHasMore} from './plan-view.js';
export {DiffView, type DiffViewProps} from './diff-view.js';
export {OutputTail, type OutputTailProps} from './output-tail.js';
export {PromptView, type PromptViewProps} from './prompt-view.js';
export {RunSummary, type RunSummaryProps} from './run-summary.js';
export {CheckReportView, type CheckReportViewProps} from './check-report.js';
export {CheckHost, type CheckHostProps} from './check-host.js';
export {FindingRow, type FindingRowProps} from './finding-row.js';
export {StepLine, type StepLineProps} from './step-line.js';
export {KeyHints, type KeyHintsProps, type KeyHint} from './key-hints.js';
export {Badge, type BadgeProps, type BadgeVariant} from './badge.js';
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
	type NoteTone,
	type UseRunStateResult,
} from './use-run-state.js';
export {useRunInput, type UseRunInputOptions, type RunCloseTarget} from './use-run-input.js';
export {useParamsForm, paramsFormReducer, type ParamsFormState, type ParamsFormAction, type UseParamsFormResult} from './use-params-form.js';
export {
	useCheckReport,
	checkReportReducer,
	initialCheckReportState,
	shownFindings,
	type CheckReportState,
	type CheckReportAction,
	type UseCheckReportOptions,
	type UseCheckReportResult,
} from './use-check-report.js';
export {hostReports, displayOrder, needsAttention, isShown, checkCounts, countsText, fixSteps, requestTargets, platformText, type HostReport} from './check-findings.js';
export {
	useNavigation,
	navigationReducer,
	type Screen,
	type NavigationState,
	type NavigationAction,
	type Bindings,
	type FormPurpose,
	type PendingCheck,
	type UseNavigationResult,
} from './use-navigation.js';
export {formFields, validateField, validateAll, startRequest, type FormField, type FieldKind, type FieldValue} from './form-fields.js';
export {startEventPump, defaultFlushMs, type EventPumpOptions, type OutputBatch, type RunInput} from './event-pump.js';
export {withReplay} from './replay-channel.js';
export {cleanLine} from './clean-line.js';
