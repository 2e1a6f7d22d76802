// Targets and wizards quote through the engine's one quoting function.
export {command, quote} from '../engine/quote.js';
