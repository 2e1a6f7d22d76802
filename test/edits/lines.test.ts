import assert from 'node:assert/strict';
import {test} from 'node:test';
import {LineEdits, splitLines} from '../../source/edits/lines.js';
import {setDirectives} from '../../source/edits/sshd-config.js';

test('splitLines keeps each line newline, and none for an unterminated last line', () => {
	assert.deepEqual(splitLines('a\r\nb\nc'), [
		{text: 'a', eol: '\r\n'},
		{text: 'b', eol: '\n'},
		{text: 'c', eol: ''},
	]);
	assert.deepEqual(splitLines(''), []);
	assert.deepEqual(splitLines('\n'), [{text: '', eol: '\n'}]);
});

test('LineEdits renders replacements and insertions by original index, in the file newline style', () => {
	const edits = new LineEdits(splitLines('one\r\ntwo\r\nthree'));
	edits.insertBefore(1, ['before two']);
	edits.replace(1, ['TWO', 'TWO again']);
	edits.append(['four']);
	assert.equal(edits.render(), 'one\r\nbefore two\r\nTWO\r\nTWO again\r\nthree\r\nfour');
	assert.equal(new LineEdits(splitLines('')).render(), '');
});

test('a CRLF sshd_config stays CRLF', () => {
	assert.deepEqual(setDirectives('X11Forwarding yes\r\nMatch all\r\n', {X11Forwarding: 'no', ClientAliveInterval: '30'}), {
		text: '# waymark: was "X11Forwarding yes"\r\nX11Forwarding no\r\n# waymark: added\r\nClientAliveInterval 30\r\n\r\nMatch all\r\n',
		changed: true,
	});
});
