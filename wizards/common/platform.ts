// What a host really is: steps read it through source/facts/platform.ts; the probe is named here too for the tests
// that answer it by its command.
export {containerProbe, inContainer, kernelAtLeast} from '../../source/facts/platform.js';
