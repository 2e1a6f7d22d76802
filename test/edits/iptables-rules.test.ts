import assert from 'node:assert/strict';
import {test} from 'node:test';
import {EditError} from '../../source/edits/edit-result.js';
import {chainMatches, parseIptablesS, renderRestore, ruleSpec, saveString, splitRuleWords} from '../../source/edits/iptables-rules.js';
import {fixture} from './fixture.js';

// The guide's firewall for node1, with its `-J` typo fixed.
const guideRules = [
	'-d 1.1.1.1 -p udp --dport 999 --sport 999 -s 2.2.2.2 -j ACCEPT',
	'-d 1.1.1.1 -p udp --dport 999 --sport 999 -s 3.3.3.3 -j ACCEPT',
	'-d 1.1.1.1 -p udp --dport 999 -j DROP',
];
const chainRules = [...guideRules, '-p tcp --dport 998 -m comment --comment "fastrouter: legion only" -j DROP'];

// Each line: a rule as typed to `iptables -A T …`, then what iptables 1.8.9 (nf_tables) printed for it with -S.
const printed = fixture('iptables/iptables-1.8.9-nft-rule-specs.tsv')
	.trim()
	.split('\n')
	.map(line => line.split('\t') as [string, string]);

for (const [input, output] of printed) {
	test(`ruleSpec matches iptables -S: ${input}`, () => {
		assert.equal(ruleSpec(splitRuleWords(input)), output);
		// What iptables prints is already normal.
		assert.equal(ruleSpec(splitRuleWords(output)), output);
	});
}

test('ruleSpec ignores a leading -A/-I chain and the table', () => {
	assert.equal(ruleSpec(['-A', 'INPUT', '-s', '2.2.2.2', '-j', 'ACCEPT']), '-s 2.2.2.2/32 -j ACCEPT');
	assert.equal(ruleSpec(['-I', 'INPUT', '3', '-t', 'filter', '-s', '2.2.2.2', '-j', 'ACCEPT']), '-s 2.2.2.2/32 -j ACCEPT');
	assert.equal(ruleSpec(['-g', 'OTHER']), '-g OTHER');
});

test('ruleSpec rejects what iptables rejects, starting with the guide typo -J', () => {
	for (const rule of [
		'-d 1.1.1.1 -p udp --dport 999 --sport 999 -s 2.2.2.2 -J ACCEPT',
		'--dport 22 -j ACCEPT',
		'-s 1.1.1.1,2.2.2.2 -j ACCEPT',
		'-s 1.2.3.4/33 -j ACCEPT',
		'-j',
	]) {
		assert.throws(
			() => ruleSpec(splitRuleWords(rule)),
			(error: unknown) => error instanceof EditError && error.code === 'invalid',
			rule,
		);
	}
});

test('splitRuleWords and saveString follow iptables quoting', () => {
	assert.deepEqual(splitRuleWords('-A T -m comment --comment "it\\\'s \\"q\\"" -j ACCEPT'), [
		'-A',
		'T',
		'-m',
		'comment',
		'--comment',
		'it\'s "q"',
		'-j',
		'ACCEPT',
	]);
	assert.deepEqual(splitRuleWords('  --comment ""  x'), ['--comment', '', 'x']);
	assert.equal(saveString('hello_world-1'), 'hello_world-1');
	assert.equal(saveString('x: '), '"x: "');
	assert.equal(saveString(''), '""');
	assert.equal(saveString('a\\b'), '"a\\\\b"');
});

test('parseIptablesS reads policies, chains and normalized rules', () => {
	const listing = parseIptablesS(fixture('iptables/debian-12-iptables-S.txt'));
	assert.deepEqual(
		[...listing.policies],
		[
			['INPUT', 'ACCEPT'],
			['FORWARD', 'DROP'],
			['OUTPUT', 'ACCEPT'],
		],
	);
	assert.deepEqual(listing.chains, ['WAYMARK-UWSGI']);
	assert.deepEqual(listing.rules.slice(0, 4), [
		{chain: 'INPUT', spec: '-i lo -j ACCEPT'},
		{chain: 'INPUT', spec: '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'},
		{chain: 'INPUT', spec: '-p tcp -m tcp --dport 22 -j ACCEPT'},
		{chain: 'INPUT', spec: '-p udp -j WAYMARK-UWSGI'},
	]);
	assert.equal(listing.rules.length, 8);
});

test('chainMatches: the chain after iptables-restore holds exactly the wanted rules', () => {
	for (const file of ['iptables/debian-12-iptables-S.txt', 'iptables/debian-12-iptables-S-chain.txt']) {
		const comparison = chainMatches(fixture(file), 'WAYMARK-UWSGI', chainRules);
		assert.equal(comparison.exists, true);
		assert.equal(comparison.matches, true, file);
		assert.deepEqual(comparison.missing, []);
		assert.deepEqual(comparison.unexpected, []);
	}
});

test('chainMatches reports drift: a stale rule, a missing one, and the order', () => {
	const comparison = chainMatches(fixture('iptables/debian-12-iptables-S-drifted.txt'), 'WAYMARK-UWSGI', guideRules);
	assert.equal(comparison.matches, false);
	assert.deepEqual(comparison.actual, [
		'-s 2.2.2.2/32 -d 1.1.1.1/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT',
		'-j LOG --log-prefix "stale rule: "',
		'-d 1.1.1.1/32 -p udp -m udp --dport 999 -j DROP',
	]);
	assert.deepEqual(comparison.missing, ['-s 3.3.3.3/32 -d 1.1.1.1/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT']);
	assert.deepEqual(comparison.unexpected, ['-j LOG --log-prefix "stale rule: "']);
	const reordered = chainMatches(fixture('iptables/debian-12-iptables-S.txt'), 'WAYMARK-UWSGI', [
		chainRules[1]!,
		chainRules[0]!,
		chainRules[2]!,
		chainRules[3]!,
	]);
	assert.equal(reordered.matches, false);
	assert.deepEqual([reordered.missing, reordered.unexpected], [[], []]);
});

test('chainMatches on a chain that is not there, and on a built-in chain', () => {
	const text = fixture('iptables/debian-12-iptables-S.txt');
	assert.deepEqual(chainMatches(text, 'WAYMARK-OTHER', []), {exists: false, matches: true, actual: [], desired: [], missing: [], unexpected: []});
	assert.equal(chainMatches(text, 'WAYMARK-OTHER', guideRules).matches, false);
	const input = chainMatches(text, 'INPUT', [
		['-i', 'lo', '-j', 'ACCEPT'],
		'-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
		'-p tcp --dport ssh -j ACCEPT',
		'-p udp -j WAYMARK-UWSGI',
	]);
	assert.equal(input.exists, true);
	assert.equal(input.matches, true);
});

test('renderRestore writes iptables-restore --noflush input that replaces one chain (checked against the real tool)', () => {
	const text = renderRestore({
		table: 'filter',
		chain: 'WAYMARK-UWSGI',
		rules: [...guideRules.slice(0, 2), ['-d', '1.1.1.1', '-p', 'udp', '--dport', '999', '-j', 'DROP'], chainRules[3]!],
	});
	assert.equal(text, fixture('iptables/waymark-uwsgi-restore.txt'));
	assert.equal(renderRestore({table: 'nat', chain: 'WAYMARK-NAT', rules: []}), '*nat\n:WAYMARK-NAT - [0:0]\nCOMMIT\n');
});

test('renderRestore refuses built-in chains and odd chain names', () => {
	assert.throws(
		() => renderRestore({table: 'filter', chain: 'INPUT', rules: guideRules}),
		(error: unknown) => error instanceof EditError && error.code === 'wrong-layout',
	);
	for (const chain of ['', 'has space', '-A', 'x'.repeat(29), 'WAYMARK\nCOMMIT']) {
		assert.throws(
			() => renderRestore({table: 'filter', chain, rules: []}),
			(error: unknown) => error instanceof EditError && error.code === 'invalid',
		);
	}

	assert.throws(() => renderRestore({table: 'filter', chain: 'WAYMARK-UWSGI', rules: ['-s 2.2.2.2 -J ACCEPT']}), EditError);
});
