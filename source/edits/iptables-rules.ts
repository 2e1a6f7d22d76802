// iptables rules as `iptables -S` prints them: normalize wanted rules, compare chains, render iptables-restore input.
import {EditError} from './edit-result.js';

/** What `iptables -S` (or `iptables -S CHAIN`) printed, parsed. */
export interface IptablesListing {
	/** Built-in chains and their policy (`-P INPUT ACCEPT`). */
	readonly policies: ReadonlyMap<string, string>;
	/** User-defined chains (`-N NAME`), in order. */
	readonly chains: readonly string[];
	/** Every `-A` line: the chain and the rule spec after it, normalized. */
	readonly rules: ReadonlyArray<{readonly chain: string; readonly spec: string}>;
}

/** How a chain compares with the rules it should hold. */
export interface ChainComparison {
	/** The listing mentions the chain at all (policy, -N or a rule). */
	readonly exists: boolean;
	/** Exactly the desired rules, in the desired order. */
	readonly matches: boolean;
	readonly actual: readonly string[];
	readonly desired: readonly string[];
	/** Desired rules the chain lacks. */
	readonly missing: readonly string[];
	/** Rules in the chain nobody asked for. */
	readonly unexpected: readonly string[];
}

/** A user-defined chain and the rules it should hold, for `iptables-restore --noflush`. */
export interface RestoreIntent {
	readonly table: 'filter' | 'nat' | 'mangle' | 'raw' | 'security';
	readonly chain: string;
	/** Each rule as words (`['-s', '2.2.2.2', '-p', 'udp', …]`) or one string split like a shell would. */
	readonly rules: ReadonlyArray<string | readonly string[]>;
}

const builtinChains = new Set(['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING']);

// Numbers iptables prints by name (it reads /etc/protocols; these are the ones every system has).
const protocolNames: Readonly<Record<string, string>> = {1: 'icmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 51: 'ah', 132: 'sctp', 136: 'udplite'};

// Service names iptables resolves to port numbers through /etc/services.
const services: Readonly<Record<string, number>> = {
	ftp: 21,
	ssh: 22,
	telnet: 23,
	smtp: 25,
	domain: 53,
	http: 80,
	pop3: 110,
	ntp: 123,
	imap: 143,
	snmp: 161,
	https: 443,
	openvpn: 1194,
};

// ICMP type names iptables prints as numbers (code `/n` only when the name implies one).
const icmpTypes: Readonly<Record<string, string>> = {
	'echo-reply': '0',
	pong: '0',
	'destination-unreachable': '3',
	'network-unreachable': '3/0',
	'host-unreachable': '3/1',
	'protocol-unreachable': '3/2',
	'port-unreachable': '3/3',
	'fragmentation-needed': '3/4',
	'source-route-failed': '3/5',
	'network-unknown': '3/6',
	'host-unknown': '3/7',
	'network-prohibited': '3/9',
	'host-prohibited': '3/10',
	'communication-prohibited': '3/13',
	'source-quench': '4',
	redirect: '5',
	'echo-request': '8',
	ping: '8',
	'router-advertisement': '9',
	'router-solicitation': '10',
	'time-exceeded': '11',
	'ttl-exceeded': '11',
	'parameter-problem': '12',
	'timestamp-request': '13',
	'timestamp-reply': '14',
};

const rejectAliases: Readonly<Record<string, string>> = {
	'tcp-rst': 'tcp-reset',
	'port-unreach': 'icmp-port-unreachable',
	'host-unreach': 'icmp-host-unreachable',
	'net-unreach': 'icmp-net-unreachable',
	'proto-unreach': 'icmp-proto-unreachable',
	'host-prohib': 'icmp-host-prohibited',
	'net-prohib': 'icmp-net-prohibited',
	'admin-prohib': 'icmp-admin-prohibited',
};

const logLevels: Readonly<Record<string, number>> = {
	emerg: 0,
	panic: 0,
	alert: 1,
	crit: 2,
	err: 3,
	error: 3,
	warning: 4,
	warn: 4,
	notice: 5,
	info: 6,
	debug: 7,
};

// Connection states in the order iptables prints them.
const stateOrder = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

// Options of the implicit protocol matches, by protocol, in the order iptables prints them; aliases map to the printed name.
const protocolOptions: Readonly<Record<string, Readonly<Record<string, string>>>> = {
	tcp: {
		'--sport': '--sport',
		'--source-port': '--sport',
		'--dport': '--dport',
		'--destination-port': '--dport',
		'--tcp-option': '--tcp-option',
		'--tcp-flags': '--tcp-flags',
		'--syn': '--tcp-flags',
	},
	udp: {'--sport': '--sport', '--source-port': '--sport', '--dport': '--dport', '--destination-port': '--dport'},
	icmp: {'--icmp-type': '--icmp-type'},
};

// Options the common explicit matches own, with the printed name of each alias.
const matchOptions: Readonly<Record<string, Readonly<Record<string, string>>>> = {
	...protocolOptions,
	multiport: {'--sports': '--sports', '--source-ports': '--sports', '--dports': '--dports', '--destination-ports': '--dports', '--ports': '--ports'},
	state: {'--state': '--state'},
	conntrack: {
		'--ctstate': '--ctstate',
		'--ctproto': '--ctproto',
		'--ctorigsrc': '--ctorigsrc',
		'--ctorigdst': '--ctorigdst',
		'--ctstatus': '--ctstatus',
		'--ctexpire': '--ctexpire',
		'--ctdir': '--ctdir',
	},
	comment: {'--comment': '--comment'},
	limit: {'--limit': '--limit', '--limit-burst': '--limit-burst'},
};

interface Option {
	readonly name: string;
	readonly negated: boolean;
	readonly values: readonly string[];
}

interface Match {
	readonly name: string;
	readonly options: Option[];
}

/** Quotes a string as iptables' xtables_save_string does (used for comments and log prefixes). */
export function saveString(value: string): string {
	if (/^[\w-]+$/.test(value)) {
		return value;
	}

	return `"${value.replaceAll(/["\\']/g, character => `\\${character}`)}"`;
}

/**
 * Splits a rule line into words: whitespace separates, double quotes group, and inside them a
 * backslash escapes the next character (how iptables -S and iptables-restore quote).
 */
export function splitRuleWords(line: string): string[] {
	const words: string[] = [];
	let word = '';
	let inWord = false;
	let quoted = false;
	for (let index = 0; index < line.length; index++) {
		const char = line[index]!;
		if (quoted) {
			if (char === '\\' && index + 1 < line.length) {
				word += line[++index];
			} else if (char === '"') {
				quoted = false;
			} else {
				word += char;
			}
		} else if (/\s/.test(char)) {
			if (inWord) {
				words.push(word);
			}

			word = '';
			inWord = false;
		} else if (char === '"') {
			quoted = true;
			inWord = true;
		} else {
			word += char;
			inWord = true;
		}
	}

	if (inWord) {
		words.push(word);
	}

	return words;
}

function invalid(message: string): EditError {
	return new EditError('invalid', `iptables rule: ${message}`);
}

function ipv4ToNumber(address: string): number | undefined {
	const parts = address.split('.');
	if (parts.length !== 4 || parts.some(part => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
		return undefined;
	}

	return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function numberToIpv4(value: number): string {
	return [24, 16, 8, 0].map(shift => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** `1.2.3.4` → `1.2.3.4/32`, `10.1.2.3/8` → `10.0.0.0/8`, `192.168.1.0/255.255.255.0` → `192.168.1.0/24`; '' for any address. */
function normalizeAddress(value: string): string {
	if (value.includes(',')) {
		throw invalid(`${value} lists several addresses; iptables makes one rule per address, so write one rule each`);
	}

	const [address = '', mask] = value.split('/');
	const ip = ipv4ToNumber(address);
	if (ip === undefined) {
		// A host name or an IPv6 address: iptables resolves or prints it its own way; keep it.
		return value;
	}

	let prefix = 32;
	if (mask !== undefined) {
		const dotted = ipv4ToNumber(mask);
		if (dotted !== undefined) {
			const bits = dotted.toString(2).padStart(32, '0');
			if (!/^1*0*$/.test(bits)) {
				return value;
			}

			prefix = bits.indexOf('0') === -1 ? 32 : bits.indexOf('0');
		} else if (/^\d{1,2}$/.test(mask) && Number(mask) <= 32) {
			prefix = Number(mask);
		} else {
			throw invalid(`bad network mask in ${value}`);
		}
	}

	const network = prefix === 0 ? 0 : ip - (ip % 2 ** (32 - prefix));
	return `${numberToIpv4(network)}/${prefix}`;
}

function normalizePort(value: string): string {
	const port = (part: string, fallback: string) => (part === '' ? fallback : String(services[part] ?? part));
	if (!value.includes(':')) {
		return port(value, value);
	}

	const [low = '', high = ''] = value.split(':');
	const from = port(low, '0');
	const to = port(high, '65535');
	return from === to ? from : `${from}:${to}`;
}

function normalizeStates(value: string): string {
	const states = value.toUpperCase().split(',');
	return [...stateOrder.filter(state => states.includes(state)), ...states.filter(state => !stateOrder.includes(state))].join(',');
}

// TCP flags in the order iptables prints them.
const tcpFlagOrder = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'];

function normalizeTcpFlags(value: string): string {
	const flags = value.toUpperCase().split(',');
	if (flags.includes('ALL')) {
		return tcpFlagOrder.join(',');
	}

	return flags.includes('NONE')
		? 'NONE'
		: [...tcpFlagOrder.filter(flag => flags.includes(flag)), ...flags.filter(flag => !tcpFlagOrder.includes(flag))].join(',');
}

function renderOption(option: Option, quote = false): string {
	const values = option.values.map(value => (quote || /[\s"'\\]/.test(value) || value === '' ? saveString(value) : value));
	return [option.negated ? '!' : '', option.name, ...values].filter(word => word !== '').join(' ');
}

function renderMatch(match: Match): string {
	const order = protocolOptions[match.name];
	const options =
		order === undefined ? match.options : [...match.options].sort((a, b) => Object.values(order).indexOf(a.name) - Object.values(order).indexOf(b.name));
	const rendered = options.map(option => {
		switch (option.name) {
			case '--sport':
			case '--dport': {
				return renderOption({...option, values: option.values.map(value => normalizePort(value))});
			}

			case '--sports':
			case '--dports':
			case '--ports': {
				return renderOption({
					...option,
					values: option.values.map(value =>
						value
							.split(',')
							.map(port => normalizePort(port))
							.join(','),
					),
				});
			}

			case '--icmp-type': {
				return renderOption({...option, values: option.values.map(value => icmpTypes[value] ?? value)});
			}

			case '--state':
			case '--ctstate': {
				return renderOption({...option, values: option.values.map(value => normalizeStates(value))});
			}

			case '--comment': {
				return renderOption(option, true);
			}

			case '--tcp-flags': {
				return renderOption({...option, values: option.values.map(value => normalizeTcpFlags(value))});
			}

			default: {
				return renderOption(option);
			}
		}
	});
	return ['-m', match.name, ...rendered].join(' ');
}

function renderTarget(kind: string, target: string, options: readonly Option[]): string {
	let rendered = [...options];
	if (target === 'REJECT') {
		rendered = rendered.map(option =>
			option.name === '--reject-with' ? {...option, values: option.values.map(value => rejectAliases[value] ?? value)} : option,
		);
		if (!rendered.some(option => option.name === '--reject-with')) {
			rendered.push({name: '--reject-with', negated: false, values: ['icmp-port-unreachable']});
		}
	}

	if (target === 'LOG') {
		const level = rendered.find(option => option.name === '--log-level');
		const number = level === undefined ? 4 : (logLevels[level.values[0]?.toLowerCase() ?? ''] ?? Number(level.values[0]));
		const prefix = rendered.filter(option => option.name === '--log-prefix');
		const flags = rendered.filter(option => option.name !== '--log-prefix' && option.name !== '--log-level');
		rendered = [...prefix, ...(number === 4 ? [] : [{name: '--log-level', negated: false, values: [String(number)]}]), ...flags];
	}

	const printed = rendered.map(option => renderOption(option, option.name === '--log-prefix' || option.name === '--nflog-prefix'));
	return [kind, target, ...printed].join(' ');
}

/**
 * Normalizes one rule to the exact text `iptables -S` prints for it (without `-A CHAIN`):
 * addresses get their prefix length and are masked (`-s 1.2.3.4` → `-s 1.2.3.4/32`), any-address
 * and `-p all` disappear, protocol numbers become names, the implicit `-m udp`/`-m tcp`/`-m icmp`
 * appears where iptables loads it, port options come in iptables' order (`--sport` before
 * `--dport`), `--syn` becomes `--tcp-flags FIN,SYN,RST,ACK SYN`, service and ICMP names become
 * numbers, state lists are sorted, REJECT gets its default `--reject-with`, LOG loses the default
 * level, and comments are quoted as iptables quotes them. A leading `-A`/`-I CHAIN` is ignored.
 * Two `-m tcp` in one rule print as one, as iptables-nft (Debian 11+) does; legacy keeps both.
 * Throws EditError `invalid` for what iptables would reject (an unknown option such as `-J`).
 */
export function ruleSpec(words: readonly string[]): string {
	let rest = [...words];
	if (['-A', '--append', '-I', '--insert', '-C', '--check', '-D', '--delete'].includes(rest[0] ?? '')) {
		rest = rest.slice(/^\d+$/.test(rest[2] ?? '') && /^-(I|-insert)$/.test(rest[0]!) ? 3 : 2);
	}

	const head: Record<string, Option | undefined> = {};
	const matches: Match[] = [];
	let protocol: string | undefined;
	let explicit: Match | undefined;
	let target: {kind: string; name: string; options: Option[]} | undefined;
	// Options after -j belong to the target, until a -m starts a match again.
	let inTarget = false;
	let negated = false;
	for (let index = 0; index < rest.length; index++) {
		const word = rest[index]!;
		if (word === '!') {
			negated = true;
			continue;
		}

		const takeValue = () => {
			const value = rest[++index];
			if (value === undefined) {
				throw invalid(`${word} needs a value`);
			}

			return value;
		};

		const setHead = (name: string, value: string) => {
			// iptables prints no -s/-d for "any address" (it only keeps a negated one).
			const any = value === '' || (value === '0.0.0.0/0' && !negated);
			head[name] = {name, negated, values: any ? [] : [value]};
		};

		switch (word) {
			case '-s':
			case '--source':
			case '--src': {
				setHead('-s', normalizeAddress(takeValue()));
				break;
			}

			case '-d':
			case '--destination':
			case '--dst': {
				setHead('-d', normalizeAddress(takeValue()));
				break;
			}

			case '-i':
			case '--in-interface': {
				setHead('-i', takeValue());
				break;
			}

			case '-o':
			case '--out-interface': {
				setHead('-o', takeValue());
				break;
			}

			case '-p':
			case '--protocol': {
				const value = takeValue().toLowerCase();
				protocol = protocolNames[value] ?? value;
				setHead('-p', protocol === 'all' || protocol === '0' ? '' : protocol);
				break;
			}

			case '-f':
			case '--fragment': {
				head['-f'] = {name: '-f', negated, values: []};
				break;
			}

			case '-t':
			case '--table': {
				takeValue();
				break;
			}

			case '-m':
			case '--match': {
				const name = takeValue().toLowerCase();
				explicit = matches.find(match => match.name === name && protocolOptions[name] !== undefined) ?? {name, options: []};
				if (!matches.includes(explicit)) {
					matches.push(explicit);
				}

				inTarget = false;
				break;
			}

			case '-j':
			case '--jump':
			case '-g':
			case '--goto': {
				target = {kind: word === '-g' || word === '--goto' ? '-g' : '-j', name: takeValue(), options: []};
				inTarget = true;
				break;
			}

			default: {
				if (!word.startsWith('--')) {
					throw invalid(`unknown option ${JSON.stringify(word)}`);
				}

				const values: string[] = [];
				while (index + 1 < rest.length && rest[index + 1] !== '!' && !/^-[-a-zA-Z]/.test(rest[index + 1]!)) {
					values.push(rest[++index]!);
				}

				const option = {negated, values};
				if (target !== undefined && inTarget) {
					target.options.push({name: word, ...option});
					break;
				}

				const owner = ownerOf(word, explicit, protocol, matches);
				if (word === '--syn') {
					owner.options.push({name: '--tcp-flags', negated, values: ['FIN,SYN,RST,ACK', 'SYN']});
				} else {
					owner.options.push({name: matchOptions[owner.name]?.[word] ?? word, ...option});
				}
			}
		}

		negated = false;
	}

	const parts = ['-s', '-d', '-i', '-o', '-p', '-f'].flatMap(name => {
		const option = head[name];
		return option === undefined || (option.values.length === 0 && name !== '-f') ? [] : [renderOption(option)];
	});
	// An explicit match prints even without options (`-m tcp` alone stays).
	parts.push(...matches.map(match => renderMatch(match)));
	if (target !== undefined) {
		parts.push(renderTarget(target.kind, target.name, target.options));
	}

	return parts.join(' ');
}

/** Which match an option belongs to: the explicit one that owns it, else the protocol's implicit match. */
function ownerOf(option: string, explicit: Match | undefined, protocol: string | undefined, matches: Match[]): Match {
	const explicitOwns = explicit !== undefined && (matchOptions[explicit.name] === undefined || matchOptions[explicit.name]![option] !== undefined);
	if (explicit !== undefined && explicitOwns) {
		return explicit;
	}

	const implicitName = protocol !== undefined && protocolOptions[protocol]?.[option] !== undefined ? protocol : undefined;
	if (implicitName === undefined) {
		throw invalid(`unknown option ${JSON.stringify(option)}${protocol === undefined ? ' (does it need -p or -m first?)' : ''}`);
	}

	let implicit = matches.find(match => match.name === implicitName);
	if (implicit === undefined) {
		// iptables loads the protocol match when it first meets one of its options, and prints it there.
		implicit = {name: implicitName, options: []};
		matches.push(implicit);
	}

	return implicit;
}

/** Parses `iptables -S` output; rule specs are normalized with ruleSpec so they compare with wanted rules. */
export function parseIptablesS(output: string): IptablesListing {
	const policies = new Map<string, string>();
	const chains: string[] = [];
	const rules: Array<{chain: string; spec: string}> = [];
	for (const line of output.split(/\r?\n/)) {
		const words = splitRuleWords(line);
		const [command, chain, ...rest] = words;
		if (chain === undefined) {
			continue;
		}

		if (command === '-P') {
			policies.set(chain, rest[0] ?? '');
		} else if (command === '-N') {
			chains.push(chain);
		} else if (command === '-A') {
			rules.push({chain, spec: ruleSpec(rest)});
		}
	}

	return {policies, chains, rules};
}

function toWords(rule: string | readonly string[]): readonly string[] {
	return typeof rule === 'string' ? splitRuleWords(rule) : rule;
}

/** Compares a chain in `iptables -S` output with the rules it should hold, in order. */
export function chainMatches(iptablesS: string, chain: string, desiredRules: ReadonlyArray<string | readonly string[]>): ChainComparison {
	const listing = parseIptablesS(iptablesS);
	const actual = listing.rules.filter(rule => rule.chain === chain).map(rule => rule.spec);
	const desired = desiredRules.map(rule => ruleSpec(toWords(rule)));
	return {
		exists: listing.policies.has(chain) || listing.chains.includes(chain) || actual.length > 0,
		matches: actual.length === desired.length && actual.every((spec, index) => spec === desired[index]),
		actual,
		desired,
		missing: desired.filter(spec => !actual.includes(spec)),
		unexpected: actual.filter(spec => !desired.includes(spec)),
	};
}

/**
 * Renders `iptables-restore --noflush` input that makes a user-defined chain hold exactly
 * `rules`: declaring the chain flushes it (creating it if needed) and nothing else in the table
 * is touched, so applying it twice gives the same chain. Built-in chains cannot be replaced this
 * way (it would flush other rules or duplicate them); jump to the chain from them instead.
 */
export function renderRestore(intent: RestoreIntent): string {
	if (!/^[A-Za-z\d_.-]{1,28}$/.test(intent.chain) || intent.chain.startsWith('-')) {
		throw new EditError('invalid', `iptables chain name ${JSON.stringify(intent.chain)} must be 1 to 28 letters, digits, _ . or -`);
	}

	if (builtinChains.has(intent.chain)) {
		throw new EditError('wrong-layout', `${intent.chain} is a built-in chain: put the rules in a chain of their own and jump to it from ${intent.chain}`);
	}

	const rules = intent.rules.map(rule => `-A ${intent.chain} ${ruleSpec(toWords(rule))}`);
	return [`*${intent.table}`, `:${intent.chain} - [0:0]`, ...rules, 'COMMIT', ''].join('\n');
}
