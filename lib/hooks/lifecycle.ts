/**
 * The closed list of moments a hook can run at, in the order a delivery or a
 * vendor publish meets them. A hook naming anything else fails when it loads.
 *
 *   job.pre-submit   before a job is created or tasks are appended; a throw refuses the submission
 *   job.post-done    every task of a job is done or excluded; a throw marks the hook failed, files stay
 *   job.post-failed  a job gave up (or was aborted); a throw is recorded, nothing else changes
 *   publish.pre      a vendor asks whether folders may be published; returns the verdicts
 *   publish.post     a publish reached the tracker; a throw is recorded, the version stays
 */
export const lifecycle = ['job.pre-submit', 'job.post-done', 'job.post-failed', 'publish.pre', 'publish.post'] as const;

export type Lifecycle = (typeof lifecycle)[number];

export function isLifecycle(name: string): name is Lifecycle {
  return (lifecycle as readonly string[]).includes(name);
}
