// Every case table of the uwsgi-node guide's steps.
import {runCases} from '../cases.js';
import {timeSyncCases} from './time-sync.cases.js';

for (const table of [timeSyncCases]) {
	runCases(table);
}
