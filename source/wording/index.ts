// What the operator reads, worded once for the Ink screens and the plain lines: pure functions over engine types,
// no React, no I/O. Layout (symbols, indentation, labels such as `note:` or `Note:`) stays with each renderer.
export {statusSymbol, statusWord, runStatusWord, riskText, riskSentence} from './status.js';
export {
	resumeCommand,
	runTitle,
	factsText,
	driftText,
	failedQuestion,
	orphanQuestion,
	savedAnswersLines,
	applyPlanQuestion,
	applyStepQuestion,
	countsText,
	summaryText,
	dryRunLines,
	nextText,
	stoppingText,
	notDoneHeading,
	notDoneItem,
	notDoneLines,
	resumeQuestion,
	waitingLines,
} from './run.js';
export {platformLine, platformText, differenceText} from './platform.js';
export {checkText, checkCounts, checkCountsText, type CheckCounts} from './check.js';
export {deferredCommandText, newFileText, diffStat, diffStatText} from './plan.js';
export {leaveFormText, paramHelp, paramValueText} from './params.js';
export {cleanLine, maxLineLength} from './clean-line.js';
