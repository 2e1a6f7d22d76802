// A step that makes a set of files exactly so: keys, configs, scripts, units. Secret files are written 0600 and
// never shown; when anything changed, follow-up commands run (reload a unit, restart a service).
import type {CommandAction, FactRequest, Facts, Plan, Step, StepContext} from '../../source/engine/types.js';
import {fileChange, fileMode, fileText, plan} from './plan-helpers.js';

export interface WantedFile {
	readonly path: string;
	readonly content: string;
	readonly secret?: boolean;
	readonly mode?: number;
	/** Run on the candidate before it replaces the file; `{}` is its path. */
	readonly validateCandidate?: string;
}

export interface WantedFilesOptions {
	readonly id: string;
	readonly title: string;
	readonly why: string;
	readonly role: string;
	readonly params?: readonly string[];
	/** The files; `facts` is there when planning (for content that depends on the host, e.g. its OpenVPN version). */
	files(ctx: StepContext, facts?: Facts): readonly WantedFile[];
	/** Facts the content depends on, besides the files themselves. */
	readonly extraFacts?: readonly FactRequest[];
	/** Said in the plan whether or not anything changes, e.g. fingerprints. */
	notes?(ctx: StepContext): readonly string[];
	/** Commands after a change, e.g. `systemctl daemon-reload`. */
	afterChange?(ctx: StepContext): readonly CommandAction[];
}

export function wantedFilesStep(options: WantedFilesOptions): Step {
	return {
		id: options.id,
		title: options.title,
		why: options.why,
		role: options.role,
		params: options.params,
		facts: ctx => [...options.files(ctx).map(file => ({kind: 'file', key: file.path, path: file.path}) as const), ...(options.extraFacts ?? [])],
		plan(ctx, facts): Plan {
			const notes = options.notes?.(ctx) ?? [];
			const changes = options.files(ctx, facts).map(file =>
				fileChange(
					file.path,
					fileText(facts, file.path),
					file.content,
					{
						mode: file.mode ?? (file.secret ? 0o600 : 0o644),
						secret: file.secret,
						validateCandidate: file.validateCandidate,
					},
					fileMode(facts, file.path),
				),
			);
			if (changes.every(change => change === undefined)) {
				return plan([], [`All ${changes.length} file(s) are as wanted.`, ...notes]);
			}

			return plan([...changes, ...(options.afterChange?.(ctx) ?? [])], notes);
		},
	};
}
