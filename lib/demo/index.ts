/** `handoff demo`: the whole outsourcing loop on one machine. docs/demo.md. */
export { runDemo } from './run.ts';
export type { DemoOptions, DemoRun } from './run.ts';
export { silentReporter } from './steps.ts';
export type { DemoReporter } from './steps.ts';
export type { DemoSummary } from './summary.ts';
