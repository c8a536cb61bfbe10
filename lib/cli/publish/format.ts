/** Pre-publish feedback for people: one block per folder, every message with how to fix it. */
import pc from 'picocolors';
import type { FolderVerdict, PrepublishResponse } from '../../vendor-publish/index.ts';

const MARK = { can_publish: pc.green('✔ publishable'), warning: pc.yellow('! publishable with warnings'), rejected: pc.red('✖ rejected') } as const;

export function verdictLines(folder: FolderVerdict): string[] {
  const lines = [`${pc.bold(folder.filename)}  ${MARK[folder.verdict]}  ${pc.dim(`${folder.ident}, ${folder.files} file(s)`)}`];
  for (const m of folder.messages) {
    const tag = m.level === 'error' ? pc.red('error  ') : m.level === 'warning' ? pc.yellow('warning') : pc.dim('note   ');
    lines.push(`  ${tag} ${m.title}: ${m.message}`);
    if (m.hint) lines.push(`          ${pc.dim(`→ ${m.hint}`)}`);
  }
  if (folder.destination) lines.push(`  ${pc.dim('publishes to')} ${folder.destination}`);
  return lines;
}

export function responseText(response: PrepublishResponse): string {
  const blocks = response.folders.map((f) => verdictLines(f).join('\n'));
  const ok = response.folders.filter((f) => f.can_publish).length;
  return `${blocks.join('\n\n')}\n\n${ok} of ${response.folders.length} folder(s) can be published. ${pc.dim(response.guidelines)}`;
}
