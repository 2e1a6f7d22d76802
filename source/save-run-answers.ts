// The TUI summary's "save answers": a finished run's answers as an answers file in the working directory, secrets
// left out as asked at run time, named after the run so it never overwrites another file.
import {existsSync} from 'node:fs';
import {relative, resolve} from 'node:path';
import {recordedAnswers} from './answers-file.js';
import {UsageError} from './engine/errors.js';
import {writeFileAtomic} from './store/atomic-file.js';
import type {RunStore} from './store/runs.js';
import {runCommand} from './run-command.js';
import {findWizard} from '../wizards/index.js';

export interface SavedAnswers {
	/** The file, as the operator types it (./NAME when in the working directory). */
	readonly file: string;
	/** The command that replays it on the same targets without asking anything; change --target for another host. */
	readonly replay: string;
}

/** Writes the answers of run `runId` to `<runId>.answers.yaml` in `cwd`. */
export function saveRunAnswers(store: RunStore, runId: string, cwd = process.cwd()): SavedAnswers {
	const record = store.load(runId);
	const wizard = record && findWizard(record.guide);
	if (!record || !wizard) {
		throw new UsageError(`No saved run ${runId}, so there are no answers to save`, 'Give the answers with --save-answers FILE on the next run.');
	}

	let file = resolve(cwd, `${runId}.answers.yaml`);
	for (let copy = 2; existsSync(file) && copy < 100; copy++) {
		file = resolve(cwd, `${runId}.answers-${copy}.yaml`);
	}

	writeFileAtomic(file, recordedAnswers(wizard, record.answers), 0o600);
	const shown = relative(cwd, file).startsWith('..') ? file : `./${relative(cwd, file)}`;
	return {
		file: shown,
		replay: runCommand(wizard, {bindings: record.bindings, sshConfig: record.options.sshConfig, answersFile: shown, extra: ['--yes']}),
	};
}
