// The guide's instructions no step carries out: mist.io's own installation.
import type {NotDoneHere} from '../../source/engine/types.js';

export const openvpnP2pNotDoneHere: readonly NotDoneHere[] = [
	{
		instruction: 'install mist.io, switching libcloud to commit 518e96a',
		reason:
			"Installing mist.io and pinning its libcloud is the application's own install: Waymark expects a checkout at mistioDir and fronts it. Pin libcloud in the app's requirements.",
	},
];
