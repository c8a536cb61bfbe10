/** Pre-publish feedback for people: one block per folder, every message with how to fix it. */
import type { Style } from '../output.ts';
import type { FolderVerdict, PrepublishResponse } from '../../vendor-publish/index.ts';

export function verdictLines(folder: FolderVerdict, style: Style): string[] {
  const mark = { can_publish: style.green('✔ publishable'), warning: style.yellow('! publishable with warnings'), rejected: style.red('✖ rejected') }[folder.verdict];
  const lines = [`${style.bold(folder.filename)}  ${mark}  ${style.dim(`${folder.ident}, ${folder.files} file(s)`)}`];
  for (const m of folder.messages) {
    const tag = m.level === 'error' ? style.red('error  ') : m.level === 'warning' ? style.yellow('warning') : style.dim('note   ');
    lines.push(`  ${tag} ${m.title}: ${m.message}`);
    if (m.hint) lines.push(`          ${style.dim(`→ ${m.hint}`)}`);
  }
  if (folder.destination) lines.push(`  ${style.dim('publishes to')} ${folder.destination}`);
  return lines;
}

export function responseText(response: PrepublishResponse, style: Style): string {
  const blocks = response.folders.map((f) => verdictLines(f, style).join('\n'));
  const ok = response.folders.filter((f) => f.can_publish).length;
  return `${blocks.join('\n\n')}\n\n${ok} of ${response.folders.length} folder(s) can be published. ${style.dim(response.guidelines)}`;
}
