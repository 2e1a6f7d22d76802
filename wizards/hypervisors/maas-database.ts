// The guide's first example is a MaaS of two servers, web and database. MariaDB listens on 127.0.0.1 only and has
// no database for the web server, so that MaaS cannot work as installed: the database server gets a database, a
// user who may connect from the web server only, and (when the two are apart) its address to listen on; the web
// server gets a client file with those credentials and proves it reaches the database.
import {StepFailure} from '../../source/engine/errors.js';
import {answerText} from '../../source/engine/params.js';
import {defineStep} from '../../source/engine/step.js';
import type {Answers, Check, ParamError, SecretSpec, Step} from '../../source/engine/types.js';
import {commandAnswer, commandLines, commandResult} from '../../source/facts/command.js';
import {fileText, fileWithMode} from '../../source/facts/files.js';
import {generatePsk, pskFingerprint} from '../../source/keys/pre-shared-key.js';
import {quote} from '../../source/targets/quote.js';
import {vaultDir, vaultValue} from '../common/operator-vault.js';
import {fileChange, header, noop, plan, untilLive} from '../common/plan-helpers.js';
import {dbClientAnsible, dbPasswordPath, dbServerAnsible} from './maas-database-ansible.js';

export const dbPasswordSecret = 'hypervisors-db-password';

export const dbPaths = {
	/** After Debian's 50-server.cnf, which sets bind-address = 127.0.0.1. */
	listen: '/etc/mysql/mariadb.conf.d/60-waymark-hypervisors.cnf',
	/** The statements that make the database and its user; it holds the password, so root only. */
	grants: '/etc/mysql/waymark-maas-database.sql',
	/** On the web server: `mariadb --defaults-file=` this, and the values Drupal's settings.php takes. */
	client: '/etc/waymark/hypervisors/maas-db.cnf',
} as const;

export const dbParams = ['dbName', 'dbUser', 'dbAddress', 'webAddress'] as const;

/** The database user's password, made once and kept in the operator's vault, so every run writes the same files. */
export function dbPasswordSpec(wizard: string): SecretSpec {
	return {
		name: dbPasswordSecret,
		title: "The MaaS database user's password (kept in your vault)",
		// Letters and digits only: it sits in SQL and in an option file without quoting.
		generate: async (answers, vault) => vaultValue(vault, vaultDir(answers, wizard, 'database'), 'password', () => generatePsk(32)),
		fingerprint: value => pskFingerprint(value),
	};
}

const identifier = /^[A-Za-z0-9_]{1,32}$/;

/** Names that go into SQL unquoted must be plain words; an address for the web server needs one for the database. */
export function dbAnswerErrors(answers: Answers): ParamError[] {
	const errors: ParamError[] = [];
	for (const field of ['dbName', 'dbUser']) {
		if (!identifier.test(answerText(answers, field))) {
			errors.push({field, message: `${field}: use 1 to 32 letters, digits or _ (it is a MariaDB name)`});
		}
	}

	if ((answerText(answers, 'dbAddress') === '') !== (answerText(answers, 'webAddress') === '')) {
		errors.push({
			field: answerText(answers, 'dbAddress') === '' ? 'dbAddress' : 'webAddress',
			message: 'dbAddress and webAddress go together: give both for a MaaS on two servers, neither when web and database share one host',
		});
	}

	return errors;
}

export interface DbPlace {
	readonly name: string;
	readonly user: string;
	/** Where the web server connects: the database server's address, or the local socket. */
	readonly host: string;
	/** The host part of the MariaDB account: the web server's address, or localhost. */
	readonly from: string;
	readonly apart: boolean;
}

function placeOf(answers: Answers): DbPlace {
	const address = answerText(answers, 'dbAddress');
	const apart = address !== '';
	return {
		name: answerText(answers, 'dbName'),
		user: answerText(answers, 'dbUser'),
		host: apart ? address : 'localhost',
		from: apart ? answerText(answers, 'webAddress') : 'localhost',
		apart,
	};
}

export function grantsText(place: DbPlace, password: string, wizard: string, step: string): string {
	const account = `'${place.user}'@'${place.from}'`;
	return [
		`-- ${header(wizard, step).slice(2)}`,
		`CREATE DATABASE IF NOT EXISTS \`${place.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
		`CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY '${password}';`,
		// A user made before with another password takes this one.
		`ALTER USER ${account} IDENTIFIED BY '${password}';`,
		// In a GRANT, _ matches any character: escaped, my_db grants my_db alone.
		`GRANT ALL PRIVILEGES ON \`${grantPattern(place.name)}\`.* TO ${account};`,
		'',
	].join('\n');
}

/** Whether this MariaDB takes a list in bind-address (10.11 and later), from `mariadbd --version`; yes when unknown. */
export function takesAddressList(version: string | null | undefined): boolean {
	const match = / Ver (\d+)\.(\d+)/.exec(version ?? '');
	return match === null || Number(match[1]) > 10 || (Number(match[1]) === 10 && Number(match[2]) >= 11);
}

export function listenText(address: string, wizard: string, step: string, list = true): string {
	// Loopback stays where MariaDB takes a list (10.11 and later), so local clients and tools that use TCP keep
	// working; before that one address only (local clients use the socket, as Debian's root does).
	return `${header(wizard, step)}\n[mysqld]\nbind-address = ${list ? `127.0.0.1,${address}` : address}\n`;
}

export function clientText(place: DbPlace, password: string, wizard: string, step: string): string {
	return `${header(wizard, step)}\n[client]\nhost = ${place.host}\nuser = ${place.user}\npassword = ${password}\n\n[mysql]\ndatabase = ${place.name}\n`;
}

/** Listening TCP sockets from /proc/net/tcp (`0100007F:0CEA` is 127.0.0.1:3306), with no ss or netstat on the host. */
export function listeningSockets(lines: readonly string[]): string[] {
	return lines.flatMap(line => {
		const match = /^([0-9A-F]{8}):([0-9A-F]{4})$/i.exec(line.trim());
		if (!match) return [];
		const bytes = match[1]!.match(/../g)!.map(pair => Number.parseInt(pair, 16));
		return [`${bytes.reverse().join('.')}:${Number.parseInt(match[2]!, 16)}`];
	});
}

/** The database name as a GRANT pattern: `_` escaped, so it matches itself only. */
function grantPattern(name: string): string {
	return name.replaceAll('_', '\\_');
}

/** Whether MariaDB takes connections on the address: bound to it, or to every IPv4 address. */
function listensOn(sockets: readonly string[], address: string): boolean {
	return sockets.includes(`${address}:3306`) || sockets.includes('0.0.0.0:3306');
}

function stateQuery(place: DbPlace): string {
	const grantee = `'''${place.user}''@''${place.from}'''`;
	return [
		'SELECT',
		`(SELECT COUNT(*) FROM mysql.user WHERE User = '${place.user}' AND Host = '${place.from}'),`,
		`(SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${place.name}'),`,
		// The grant is listed under its pattern (my\_db); the SQL literal doubles the backslash.
		`(SELECT COUNT(*) FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ${grantee} AND TABLE_SCHEMA = '${grantPattern(place.name).replaceAll('\\', '\\\\')}')`,
	].join(' ');
}

/** [user rows, database rows, privilege rows] as MariaDB counts them; undefined when it could not be asked. */
function parseState(text: string | null | undefined): readonly [number, number, number] | undefined {
	const numbers = (text ?? '').trim().split(/\s+/).map(Number);
	return numbers.length === 3 && numbers.every(Number.isInteger) ? (numbers as unknown as [number, number, number]) : undefined;
}

const restartMariadb = 'if [ -d /run/systemd/system ]; then systemctl restart mariadb; else service mariadb restart; fi';

/** Restarts MariaDB on its new bind-address; where it will not start, the drop-in comes out and MariaDB runs as before. */
function restartOnAddress(bind: string): string {
	return [
		`${restartMariadb} || {`,
		`  rm -f ${dbPaths.listen}`,
		`  ${restartMariadb}`,
		`  echo ${quote(`MariaDB would not start with bind-address ${bind}: the drop-in is removed and MariaDB runs as before.`)} >&2`,
		'  exit 1',
		'}',
	].join('\n');
}

export function dbServerStep(options: {wizard: string; role: string}): Step {
	const id = 'db-access';
	return defineStep({
		id,
		title: 'MariaDB: the MaaS database, its user, and the address the web server reaches',
		why:
			"The guide's MaaS is two servers, web and database, but installs MariaDB only: it listens on 127.0.0.1 and has no database for " +
			'the web server. Here the database (dbName) and its user (dbUser) are made, with a password kept in your vault; the user may ' +
			'connect from the web server only (webAddress). With the two servers apart, MariaDB also listens on dbAddress, set in a ' +
			"drop-in after Debian's 50-server.cnf; a restart that fails takes the drop-in back out and starts MariaDB as it was.",
		role: options.role,
		params: [...dbParams],
		facts: ctx => {
			const place = placeOf(ctx.answers);
			return {
				mariadb: commandAnswer('command -v mariadb'),
				version: commandAnswer('mariadbd --version 2>/dev/null || mysqld --version'),
				listen: fileText(dbPaths.listen),
				grants: fileWithMode(dbPaths.grants),
				state: commandAnswer(`mariadb -N -B -e ${quote(stateQuery(place))}`),
				addresses: commandAnswer('hostname -I'),
				// Hex local address of each listening (state 0A) socket: no ss or netstat needed.
				sockets: commandLines(`awk '$4 == "0A" {print $2}' /proc/net/tcp`),
			};
		},
		plan(ctx, facts) {
			const place = placeOf(ctx.answers);
			const address = answerText(ctx.answers, 'dbAddress');
			if (facts.mariadb === undefined) {
				return untilLive(`the database ${place.name} and its user ${place.user}@${place.from} are made`);
			}

			// The host's own addresses; unknown where `hostname -I` could not answer.
			const own = typeof facts.addresses === 'string' ? facts.addresses.split(/\s+/).filter(Boolean) : undefined;
			if (place.apart && own && !own.includes(address)) {
				throw new StepFailure(
					`dbAddress ${address} is not an address of ${ctx.target.label} (it has ${own.join(' ') || 'none'}), so MariaDB could not listen on it.`,
					"Start a new run with dbAddress set to the database server's address that the web server reaches.",
				);
			}

			// A connection from the host to itself comes from the host's own address, never webAddress's account.
			if (place.apart && own?.includes(place.from)) {
				throw new StepFailure(
					`webAddress ${place.from} is an address of ${ctx.target.label} itself: the web server and the database are one host here, and a login from it would not match the account.`,
					'Start a new run with dbAddress and webAddress left empty: the user then logs in over the local socket.',
				);
			}

			const password = ctx.secrets.get(dbPasswordSecret) ?? '';
			const list = takesAddressList(facts.version);
			const listen = place.apart ? fileChange(dbPaths.listen, facts.listen, listenText(address, options.wizard, id, list), {mode: 0o644}) : undefined;
			const grants = fileChange(
				dbPaths.grants,
				facts.grants.text,
				grantsText(place, password, options.wizard, id),
				{mode: 0o600, secret: true},
				facts.grants.mode,
			);
			const state = parseState(facts.state);
			const missing = state === undefined || state[0] === 0 || state[1] === 0 || state[2] === 0;
			// A drop-in written by a run cut off before its restart is in place while MariaDB still listens on loopback only.
			const restart = listen !== undefined || (place.apart && !listensOn(listeningSockets(facts.sockets), address));
			const actions = plan([
				listen,
				restart && {
					kind: 'command',
					title: 'Restart MariaDB on the new address (taken back if it will not start)',
					script: restartOnAddress(list ? `127.0.0.1,${address}` : address),
				},
				grants,
				(grants || missing) && {
					kind: 'command',
					title: `Make the database ${place.name} and the user ${place.user}@${place.from}`,
					script: `mariadb < ${dbPaths.grants}`,
				},
			]);
			return actions.actions.length === 0 ? noop(`The database ${place.name} is there for ${place.user}@${place.from}.`) : actions;
		},
		ansible: ctx =>
			dbServerAnsible({
				place: placeOf(ctx.answers),
				address: answerText(ctx.answers, 'dbAddress'),
				wizard: options.wizard,
				step: id,
				password: dbPasswordPath(ctx.answers, options.wizard),
				stateQuery: stateQuery(placeOf(ctx.answers)),
				restartScript: restartOnAddress(answerText(ctx.answers, 'dbAddress')),
			}),
		verify(ctx, facts): Check[] {
			const place = placeOf(ctx.answers);
			const state = parseState(facts.state);
			const address = place.apart ? answerText(ctx.answers, 'dbAddress') : '127.0.0.1';
			const wanted = `${address}:3306`;
			const sockets = listeningSockets(facts.sockets);
			return [
				{
					id: 'db-user',
					title: `MariaDB has the database ${place.name} and the user ${place.user}@${place.from}, granted on it`,
					status: state === undefined ? 'fail' : state.every(count => count > 0) ? 'pass' : 'fail',
					evidence: state === undefined ? 'MariaDB did not answer as root over its socket' : `user ${state[0]}, database ${state[1]}, privileges ${state[2]}`,
					reason: 'The web server logs in as this user; Drupal keeps its tables in this database.',
				},
				{
					id: 'db-listens',
					title: `MariaDB listens on ${wanted}`,
					status: listensOn(sockets, address) ? 'pass' : 'fail',
					evidence: `listening: ${sockets.filter(socket => socket.endsWith(':3306')).join(', ') || 'nothing on 3306'}`,
					reason: place.apart ? 'The web server connects to this address.' : 'The web server on this host connects over the local socket or loopback.',
				},
			];
		},
	});
}

export function dbClientStep(options: {wizard: string; role: string}): Step {
	const id = 'db-client';
	return defineStep({
		id,
		title: 'The web server reaches its database',
		why:
			"The web server's side of the database: a MariaDB option file with the host, user, password and database (root only; " +
			"Drupal's settings.php takes the same values), and a real login through it, which proves the address, the account's " +
			'host and the password together.',
		role: options.role,
		params: [...dbParams],
		facts: () => ({
			client: fileWithMode(dbPaths.client),
			login: commandResult(`mariadb --defaults-file=${dbPaths.client} -N -B -e 'SELECT DATABASE()' 2>&1`),
		}),
		plan(ctx, facts) {
			const place = placeOf(ctx.answers);
			const password = ctx.secrets.get(dbPasswordSecret) ?? '';
			const client = fileChange(
				dbPaths.client,
				facts.client.text,
				clientText(place, password, options.wizard, id),
				{mode: 0o600, secret: true},
				facts.client.mode,
			);
			return client ? plan([client]) : noop(`${dbPaths.client} logs in as ${place.user} on ${place.host}.`);
		},
		ansible: ctx => dbClientAnsible({place: placeOf(ctx.answers), wizard: options.wizard, step: id, password: dbPasswordPath(ctx.answers, options.wizard)}),
		verify(ctx, facts): Check[] {
			const place = placeOf(ctx.answers);
			const login = facts.login;
			if (login === undefined) {
				return [];
			}

			const answer = login.text.trim();
			const missingClient = login.exitCode === 127 || /not found/.test(answer);
			return [
				{
					id: 'db-login',
					title: `The web server logs in to ${place.name} on ${place.host} as ${place.user}`,
					status: login.exitCode === 0 && answer === place.name ? 'pass' : 'fail',
					evidence: login.exitCode === 0 ? `SELECT DATABASE() answered ${answer}` : answer.split('\n').at(-1) || `exit ${login.exitCode}`,
					reason: missingClient
						? 'There is no mariadb client on the web server: it is in the MaaS packages (maasPackages).'
						: "Drupal connects the same way; run the database server's step (db-access) first, and check that the web server reaches dbAddress on tcp/3306.",
				},
			];
		},
	});
}
