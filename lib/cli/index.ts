/** Public face of the CLI frame for command modules: actions, output, progress, exit codes. */
export { cliAction, commandName } from './action.ts';
export type { CommandContext } from './action.ts';
export { ExitCode, exitCodeFor } from './exit-codes.ts';
export type { ExitCodeValue } from './exit-codes.ts';
export { createOutput } from './output.ts';
export type { CliIo, JsonEnvelope, Output, Style } from './output.ts';
export { createProgress, progress } from './progress.ts';
export type { Progress, ProgressBar, ProgressOptions } from './progress.ts';
export { formatBytes, formatDuration } from './format.ts';
