// `waymark export ansible GUIDE`: writes the guide as an Ansible project, or with --check says which steps export.
import {existsSync, mkdirSync, readdirSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {exitCodes, UsageError} from '../engine/errors.js';
import {resolveAnswers} from '../engine/params.js';
import type {TargetInfo, Wizard} from '../engine/types.js';
import {writeFileAtomic} from '../store/atomic-file.js';
import {DiskVault} from '../store/vault.js';
import {MemoryVault} from '../engine/memory-vault.js';
import {parseTargetSpec, specLabel} from '../targets/spec.js';
import {quote} from '../targets/quote.js';
import {ansibleProject, type StepExportReport} from './ansible-project.js';
import {type CarriedSecret, vaultVarsFile} from './ansible-secrets.js';

export interface ExportCommandOptions {
	readonly answers: Readonly<Record<string, unknown>>;
	/** Role → target specs, from --inventory. */
	readonly bindings: Readonly<Record<string, readonly string[]>>;
	/** The --inventory file's text, copied into the project. */
	readonly inventory?: string;
	readonly out?: string;
	readonly check: boolean;
	readonly guardSeconds: number;
	/** Carry key material in the project, encrypted with Ansible Vault under this password file. */
	readonly vaultPasswordFile?: string;
	readonly write: (text: string) => void;
}

/** A file in the project marks a directory as an earlier export, which a new export may overwrite. */
const marker = '.waymark-export';

function targetInfos(bindings: Readonly<Record<string, readonly string[]>>): Record<string, TargetInfo[]> {
	return Object.fromEntries(
		Object.entries(bindings).map(([role, specs]) => [
			role,
			specs.flatMap(text => {
				const {spec} = parseTargetSpec(text);
				return spec ? [{kind: spec.kind, label: specLabel(spec)} satisfies TargetInfo] : [];
			}),
		]),
	);
}

/** An Ansible INI inventory from --target bindings: one group per role; `local` and `root:DIR` have no Ansible host. */
export function inventoryFromBindings(bindings: Readonly<Record<string, readonly string[]>>): string | undefined {
	const groups = Object.entries(bindings).filter(([, specs]) => specs.length > 0);
	if (groups.length === 0) {
		return undefined;
	}

	const lines = groups.flatMap(([role, specs]) => [
		`[${role}]`,
		...specs.map(text => {
			const {spec} = parseTargetSpec(text);
			if (spec?.kind !== 'ssh') {
				return `# ${text}: not an ssh host (use ansible_connection=local for this machine)`;
			}

			return [spec.host, ...(spec.user ? [`ansible_user=${spec.user}`] : []), ...(spec.port ? [`ansible_port=${spec.port}`] : [])].join(' ');
		}),
		'',
	]);
	return `# From the --target bindings of the export.\n${lines.join('\n')}`;
}

function reportLines(wizard: Wizard, report: readonly StepExportReport[]): string {
	const width = Math.max(...report.map(row => row.stepId.length));
	const lines = report.map(row => {
		const mark = row.status === 'exported' ? '✔' : row.status === 'partly' ? '◐' : '✗';
		const notes = row.notes.map(note => `\n    ${' '.repeat(width)}  ${note}`).join('');
		return `${mark} ${row.stepId.padEnd(width)}  ${row.status}${notes}`;
	});
	const count = (status: string) => report.filter(row => row.status === status).length;
	return `${wizard.id} as Ansible: ${count('exported')} of ${report.length} steps exported whole, ${count('partly')} partly, ${count('not exported')} not\n${lines.join('\n')}\n`;
}

/** vars/vault.yml: each carried vault file's value encrypted by ansible-vault under the operator's password. */
async function encryptedVars(carried: readonly CarriedSecret[], vault: DiskVault, passwordFile: string): Promise<string> {
	if (!existsSync(passwordFile)) {
		throw new UsageError(`--vault-password-file ${passwordFile}: no such file.`, 'Name the file that holds the Ansible Vault password (one line).');
	}

	const {execa} = await import('execa');
	const parts = ['# Key material from the Waymark vault, each value encrypted with Ansible Vault.'];
	for (const {variable, path} of carried) {
		const value = vault.read(path);
		if (value === undefined) {
			throw new UsageError(`The vault has no ${path}, which the project would carry.`, 'Run the export again: it makes the key material it needs.');
		}

		const made = await execa('ansible-vault', ['encrypt_string', '--vault-password-file', passwordFile, '--stdin-name', variable], {
			input: value,
			reject: false,
		});
		if (made.exitCode !== 0) {
			throw new UsageError(
				made.exitCode === undefined ? 'ansible-vault is not installed here.' : `ansible-vault could not encrypt ${variable}: ${made.stderr.trim()}`,
				'Install it (apt-get install ansible-core), or export without --vault-password-file so the tasks read the vault on the controller.',
			);
		}

		parts.push(made.stdout.trim());
	}

	return `${[...parts, ...(carried.length === 0 ? ['{}'] : [])].join('\n')}\n`;
}

export async function exportAnsible(wizard: Wizard, options: ExportCommandOptions): Promise<number> {
	const {answers, errors, missing} = resolveAnswers(wizard, options.answers);
	const problems = [...errors.map(error => error.message), ...missing.map(param => `${param.name}: missing (${param.help}); add it to the answers file`)];
	if (problems.length > 0) {
		throw new UsageError(
			`Nothing was exported; these answers need fixing:\n${problems.map(problem => `  - ${problem}`).join('\n')}`,
			`The export is made from the same answers as a run: \`waymark answers ${wizard.id} > answers.yml\`, fill it in, then \`waymark export ansible ${wizard.id} --answers answers.yml\`.`,
		);
	}

	const carry = options.vaultPasswordFile !== undefined;
	// Key material is made (or kept) in the vault on this machine, as a run makes it; the project only names where, and
	// ships what is public (a key's .pub line). --check keeps what it would make in memory: it writes nothing.
	const vault = options.check ? new MemoryVault(new DiskVault()) : new DiskVault();
	const publicParts = new Map<string, string>();
	for (const spec of wizard.secrets ?? []) {
		const value = await spec.generate(answers, vault);
		if (spec.publicPart) {
			publicParts.set(spec.name, spec.publicPart(value));
		}
	}

	// The operator's inventory as it is; else one made from --target; else a template naming the roles.
	const inventory = options.inventory ?? inventoryFromBindings(options.bindings);
	const project = ansibleProject(wizard, {
		answers,
		bindings: targetInfos(options.bindings),
		...(inventory === undefined ? {} : {inventory}),
		guardSeconds: options.guardSeconds,
		carrySecrets: carry,
		publicParts,
	});
	if (options.check) {
		options.write(reportLines(wizard, project.report));
		return exitCodes.done;
	}

	const out = resolve(options.out ?? `${wizard.id}-ansible`);
	if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, marker))) {
		throw new UsageError(
			`${out} is not empty and holds no earlier export, so nothing was written.`,
			`Name a new or empty directory: waymark export ansible ${wizard.id} --out DIR`,
		);
	}

	const secrets = carry ? [{path: vaultVarsFile, content: await encryptedVars(project.carried, vault, options.vaultPasswordFile!), mode: 0o600}] : [];
	for (const file of [...project.files, ...secrets, {path: marker, content: `${wizard.id}\n`}]) {
		const path = join(out, file.path);
		mkdirSync(dirname(path), {recursive: true});
		writeFileAtomic(path, file.content, file.mode ?? 0o644);
	}

	options.write(reportLines(wizard, project.report));
	const password = carry ? ` --vault-password-file ${quote(resolve(options.vaultPasswordFile!))}` : '';
	options.write(`\nWrote ${out}. Next:\n  cd ${quote(out)} && ansible-playbook site.yml --check --diff${password}\n`);
	return exitCodes.done;
}
