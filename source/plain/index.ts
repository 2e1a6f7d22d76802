// Renderers without Ink: plain lines with enquirer prompts, and JSON lines.
export {renderPlain, unansweredText, type PlainOptions} from './render-plain.js';
export {renderJson} from './render-json.js';
export {askParams, maxAttempts} from './ask-params.js';
export {PromptCanceledError, askText, askYesNo, askChoice, type PromptStreams} from './enquirer-prompts.js';
export {planLines} from './plan-lines.js';
