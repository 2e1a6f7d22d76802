// The engine's vocabulary: wizards, steps, params, facts, plans, events. No UI, no I/O.

/** What kind of value an operator input holds; validated before anything runs. */
export type ParamType = 'string' | 'ipv4' | 'ipv4-list' | 'cidr' | 'port' | 'hostname' | 'path' | 'enum' | 'boolean' | 'word-list' | 'integer' | 'secret';

export type ParamValue = string | boolean | readonly string[];

export interface Param {
	readonly name: string;
	readonly type: ParamType;
	/** One line shown next to the field and as a comment in answers files. */
	readonly help: string;
	readonly default?: ParamValue;
	/** With type `enum`. */
	readonly choices?: readonly string[];
	/** With type `integer`: the smallest and largest value allowed. */
	readonly min?: number;
	readonly max?: number;
	/** An empty value is allowed (the step then says what it leaves alone). */
	readonly optional?: boolean;
}

export type Answers = Readonly<Record<string, ParamValue>>;

/**
 * Something to read from a target. Files are read raw; `dir` asks only whether a directory exists; commands run under
 * `sh -c`; `login` makes a brand-new login as the operator's client does (through the host's sshd, its PAM stack and
 * NSS): what the running services do, which no file shows. A target with no login to prove answers it unavailable.
 */
export type FactRequest =
	| {readonly kind: 'file'; readonly key: string; readonly path: string}
	| {readonly kind: 'dir'; readonly key: string; readonly path: string}
	| {readonly kind: 'command'; readonly key: string; readonly command: string}
	| {readonly kind: 'login'; readonly key: string};

/** What was read. A missing file has `exists: false`; a command keeps its exit code. */
export interface Fact {
	readonly key: string;
	readonly exists: boolean;
	readonly text: string;
	readonly exitCode: number;
	/** The target could not answer this kind of fact (a command on an offline root:DIR). */
	readonly unavailable?: boolean;
	/** Permission bits of a file fact, e.g. 0o600. */
	readonly mode?: number;
}

export type Facts = ReadonlyMap<string, Fact>;

/** A file to write atomically; `before` is what the plan was computed from. */
export interface FileAction {
	readonly kind: 'file';
	readonly path: string;
	readonly before: string | null;
	readonly after: string;
	/** Octal mode for a new file; an existing file keeps its owner and mode. */
	readonly mode?: number;
	/** Never shown, diffed or logged: a key, a password hash, a psk. */
	readonly secret?: boolean;
	/** A shell command run on the candidate file before it replaces the original; `{}` is the candidate's path. */
	readonly validateCandidate?: string;
	/** A shell command run after the file is in place; if it fails, the previous content is restored. */
	readonly validateInPlace?: string;
}

export interface DirAction {
	readonly kind: 'dir';
	readonly path: string;
	readonly mode?: number;
}

/** A command that changes the running system; deferred on an offline root:DIR target. */
export interface CommandAction {
	readonly kind: 'command';
	/** What the operator reads in the plan. */
	readonly title: string;
	/** A POSIX sh script; every operator value in it went through targets/quote.ts. */
	readonly script: string;
	/** Text fed to the script's stdin (never shown when `secret`). */
	readonly input?: string;
	readonly secret?: boolean;
}

export type Action = FileAction | DirAction | CommandAction;

export interface Plan {
	readonly actions: readonly Action[];
	/** Why nothing needs doing, or what the step does differently from the guide. */
	readonly notes: readonly string[];
	/**
	 * The step cannot do its job on this host for a reason outside Waymark: `deferred` waits for a change there
	 * (a kernel with quota support), `skipped` does not apply (a container has no bootloader of its own).
	 */
	readonly unmet?: {readonly status: 'deferred' | 'skipped'; readonly reason: string; readonly remedy: string};
}

/** `deferred`: cannot be judged here (an offline target has no daemon to ask). */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'n/a' | 'deferred';

export interface Check {
	readonly id: string;
	readonly title: string;
	readonly status: CheckStatus;
	/** What was read. */
	readonly evidence: string;
	/** What was expected, and why it matters. */
	readonly reason: string;
}

export interface TargetInfo {
	readonly kind: 'local' | 'ssh' | 'root';
	readonly label: string;
}

/** What a step's functions see: its answers and where it runs. */
export interface StepContext {
	readonly answers: Answers;
	readonly target: TargetInfo;
	/** Every target bound to every role, for steps that name their peers. */
	readonly bindings: Readonly<Record<string, readonly TargetInfo[]>>;
	/** Secret values made for this run, by name (a generated key); never logged. */
	readonly secrets: ReadonlyMap<string, string>;
	/** For an export, which holds no secret: what of each secret may be shipped (a public key line), by name. */
	readonly publicParts?: ReadonlyMap<string, string>;
}

export type Risk = 'lockout' | 'reboot' | 'data';

/** Scripts the lockout guard runs on the host; `$G` is the guard's private directory there. */
export interface GuardSpec {
	/** Saves extra state before the change, e.g. `iptables-save > "$G/state"`. */
	readonly snapshot?: string;
	/** Runs after the files are restored, e.g. restoring the firewall or reloading sshd. */
	readonly restore: string;
}

/** One Ansible task as the playbook holds it: a name, one module with its arguments, and task keywords. */
export type AnsibleTask = Readonly<Record<string, unknown>> & {readonly name: string};

/**
 * A step as Ansible tasks, for `waymark export ansible`: the same files (bytes, mode), validators and follow-up
 * commands as the step's own run, with nothing secret in them (key material is read from the vault on the controller).
 */
export interface AnsibleStep {
	/** In order; `notify` names one of `handlers`. */
	readonly tasks: readonly AnsibleTask[];
	/** Commands that follow a change, run once at the end of the play when a task notified them. */
	readonly handlers?: readonly AnsibleTask[];
	/** Files the tasks copy, shipped in the project under `files/` by these names; never secret. */
	readonly files?: Readonly<Record<string, string>>;
	/** Ansible modules of Waymark's own the tasks use (an edit Ansible has no module for), shipped in library/ by name. */
	readonly modules?: Readonly<Record<string, string>>;
	/** Parts of the step the export does not carry out, each with why and what to do instead. */
	readonly gaps?: readonly string[];
	/** Read-only checks that may refuse the step, run before anything else of it (before a lockout step's guard is armed). */
	readonly preflight?: readonly AnsibleTask[];
	/** A lockout step: the files its armed rollback saves before the tasks change them. */
	readonly guarded?: readonly string[];
	/**
	 * When the step applies at all (Jinja, e.g. `not waymark_container`): where Waymark skips it, Ansible skips every
	 * task of it. The play reads the host's platform first (`waymark_container`, `waymark_kernel_major`, `waymark_systemd`).
	 */
	readonly when?: string;
}

export interface Step {
	/** Stable forever: resume keys on it. */
	readonly id: string;
	readonly title: string;
	/** One paragraph: what the guide wants and why, and what is done differently today. */
	readonly why: string;
	readonly role: string;
	/** Names of the wizard's params this step reads. */
	readonly params?: readonly string[];
	readonly risk?: Risk;
	/** For lockout steps: how the armed rollback saves and restores state that is not a file, then reloads. */
	readonly guard?: (ctx: StepContext) => GuardSpec;
	facts(ctx: StepContext): readonly FactRequest[];
	plan(ctx: StepContext, facts: Facts): Plan;
	verify?(ctx: StepContext, facts: Facts): readonly Check[];
	/** The step as Ansible tasks; a step without one is listed by the export as not exported, never dropped. */
	ansible?(ctx: StepContext): AnsibleStep;
}

/** Secrets a wizard makes on the operator's machine (keys, psks) before any step runs. */
/**
 * Key material kept on the operator's machine between runs, by absolute path (a CA, the certificates it issued).
 * On disk for a run; in memory over the disk for a dry run, so a dry run sees what is kept and writes nothing.
 */
export interface Vault {
	read(path: string): string | undefined;
	write(path: string, value: string): void;
}

export interface SecretSpec {
	readonly name: string;
	readonly title: string;
	/**
	 * Makes the secret value on the operator's machine; runs once per run, and the run keeps the value in a 0600 file.
	 * Whatever must outlive the run (a CA) goes through `vault`: generate does no I/O of its own.
	 */
	generate(answers: Answers, vault: Vault): string | Promise<string>;
	/** What the UI shows instead of the value. */
	fingerprint(value: string): string;
	/** The part that is not secret and that an export may ship, such as a public key line. */
	publicPart?(value: string): string;
}

/** A guide instruction the wizard does not carry out, and why: said before anything runs, never silently dropped. */
export interface NotDoneHere {
	/** The guide's instruction, short, its commands as the guide writes them. */
	readonly instruction: string;
	/** Why not, and what does that job on a modern system where something does. */
	readonly reason: string;
}

export interface Wizard {
	readonly id: string;
	readonly title: string;
	/** The guide this wizard follows, relative to the guides folder. */
	readonly guide: string;
	readonly summary: string;
	readonly roles: readonly string[];
	readonly params: readonly Param[];
	readonly steps: readonly Step[];
	readonly secrets?: readonly SecretSpec[];
	/** The guide's instructions that no step carries out, each with its reason. */
	readonly notDoneHere?: readonly NotDoneHere[];
	/** Cross-field validation after each field passed its own type check. */
	validate?(answers: Answers): readonly ParamError[];
}

export interface ParamError {
	readonly field: string;
	readonly message: string;
}

export * from './events.js';
