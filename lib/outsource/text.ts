/** What a coordinator reads about an Outsource run: one line per delivery, one per refused task. */
import type { Refusal } from './prepare.ts';
import type { FinishReport } from './finish.ts';
import type { DeliverySummary } from './send.ts';

const count = new Intl.NumberFormat('en-US');

/** Decimal units, one decimal place: `38.2 GB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const plural = (n: number, word: string) => `${count.format(n)} ${word}${n === 1 ? '' : 's'}`;

export function deliveryLine(d: DeliverySummary): string {
  const what = `${plural(d.prepared.length, 'task')} (${plural(d.files, 'file')}, ${formatBytes(d.bytes)})`;
  if (d.status === 'sent') {
    const again = d.retried && !d.added ? ' again' : '';
    return `Queued ${what}${again} to ${d.vendor.name} in '${d.job}'`;
  }
  if (d.status === 'outbox') {
    return `The transfer service is unreachable: kept ${what} for ${d.vendor.name} in the outbox; they join '${d.job}' as soon as it is back`;
  }
  return `Could not queue ${what} to ${d.vendor.name}: ${d.error?.message ?? 'the transfer service refused them'}`;
}

export function refusalLine(r: Refusal): string {
  return `${r.where}: not outsourced: ${r.reasons.join('; ')}`;
}

export function outsourceMessage(deliveries: readonly DeliverySummary[], refused: readonly Refusal[], warnings: readonly string[] = []): string {
  const lines = [...deliveries.map(deliveryLine), ...refused.map(refusalLine), ...warnings.map((w) => `Note: ${w}`)];
  return lines.length ? lines.join('\n') : 'Nothing to outsource.';
}

export function finishMessage(report: FinishReport): string {
  const hashed = report.tasks.reduce((sum, t) => sum + t.hashed, 0);
  const cached = report.tasks.reduce((sum, t) => sum + t.cached, 0);
  const lines = [`Manifests ready for ${plural(report.tasks.length, 'task')} (${plural(hashed, 'file')} hashed, ${count.format(cached)} unchanged).`];
  return [...lines, ...report.warnings.map((w) => `Note: ${w}`)].join('\n');
}
