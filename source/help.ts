// `waymark --help`: answers the questions an operator has before the first run.
const general = `Waymark walks you through server-setup guides step by step, on this machine or on hosts over SSH.
Every step shows its plan (commands and diffs) before it changes anything, and progress is saved after
every step, so an interrupted run resumes where it stopped.

Usage
  waymark                                  home screen: pick a guide, bind targets, or resume a run
  waymark list [--json]                    the guides: id, title, roles, number of steps
  waymark answers GUIDE                    an answers file (YAML) with every param, its type and default
  waymark run GUIDE [options]              run a guide
  waymark resume [RUN_ID] [options]        continue a saved run (the newest unfinished one by default)
  waymark runs [--json]                    saved runs: id, guide, targets, status, last step, updated
  waymark check GUIDE [--target …] [--inventory FILE] [--answers FILE] [--json]
                                           read-only: what is wrong on a host, why, and which step fixes it
                                           (answers default to those of the newest saved run of the guide)
  waymark export ansible GUIDE --answers FILE [--inventory FILE] [--out DIR] [--check]
                                           the guide as an Ansible project (playbook, inventory, group_vars,
                                           files) for a fleet; --check lists which steps export and which not;
                                           --vault-password-file FILE carries key material in the project,
                                           encrypted with Ansible Vault (default: tasks read your vault)

Run options
  --target [ROLE=]SPEC    where a role runs; repeat for several roles or hosts. SPEC is one of
                            local                    this machine
                            ssh:[USER@]HOST[:PORT]   a host through your ssh client (~/.ssh/config, agent, known_hosts)
                            root:DIR                 a directory treated as / (files only; commands are deferred)
                          A guide with a single role takes a bare SPEC.
  --inventory FILE, -i    an Ansible INI inventory: each [group] binds the role of that name (plural allowed),
                          with ansible_host, ansible_user and ansible_port; --target adds to it
  --answers FILE          answers in YAML (write one with \`waymark answers GUIDE > FILE\`)
  --yes, -y               never ask: apply every step; a missing answer is an error listing all of them
  --dry-run               print each step's plan (commands and unified diffs) and change nothing
  --plain                 line output and simple prompts (no full-screen UI), for serial consoles and screen readers
  --json                  one JSON object per event on stdout; the last is {"type":"run-end",…}
  --ssh-config FILE, -F   passed to every ssh call as -F FILE
  --become                run commands through sudo when you log in as a non-root user
  --forks N               hosts that run the same step at once with --yes (default 5); one failing host
                          does not stop the others
  --only STEP[,STEP]      run only these steps (what \`waymark check\` prints as the fix)
  --guard-seconds N       how long an armed rollback waits before restoring by itself (default 120, at least 15)
  --save-answers FILE     write the answers this run uses (typed in the form or given) to FILE, secrets left
                          out; replay elsewhere with \`waymark run GUIDE --answers FILE --yes\`

Safety
  Steps that can lock you out (sshd, PAM, nsswitch, firewall) first prove that a fresh key-based login
  works, arm a rollback on the host, apply, log in again with a new connection, and restore the previous
  state by themselves if that fails. Edited files are backed up once per run under /var/backups/waymark/RUN_ID/.

Exit codes (check: 0 when nothing fails, 1 otherwise)
  0 done   1 a step failed (run saved, resume with \`waymark resume\`)   2 usage or invalid input (nothing ran)
  3 interrupted (resume with \`waymark resume\`)

Environment
  WAYMARK_HOME            where runs, transcripts and secrets are kept (default: ~/.config/waymark)
  WAYMARK_DEBUG=1         show the stack trace behind an unexpected error
`;

export function helpText(command?: string): string {
	if (command === 'run' || command === 'resume') {
		return `${general.slice(general.indexOf('Run options'), general.indexOf('Safety'))}`;
	}

	return general;
}
