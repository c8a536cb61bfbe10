/** Looking up per-task-type settings, with the `default` entry as fallback. */
import type { HandoffConfig } from './resolve.ts';

/** The outsource rule for a tracker task type (case-insensitive), merged over the outsource defaults. */
export function outsourceRuleFor(config: HandoffConfig, taskType: string) {
  const { rules, status, note } = config.outsource;
  const key = Object.keys(rules).find((name) => name.toLowerCase() === taskType.toLowerCase());
  const rule = (key ? rules[key] : undefined) ?? rules.default ?? { send: [] };
  return {
    send: rule.send,
    status: rule.status === undefined ? status : rule.status,
    note: rule.note ?? note,
  };
}
