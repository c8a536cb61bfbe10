/** Pre-publish verdicts as lines for people: one per folder, then its messages. */
import type { PrepublishResponse } from '../../vendor-publish/index.ts';
import type { Style } from '../output.ts';

export function printVerdicts(print: (line: string) => void, response: PrepublishResponse, style: Style): void {
  for (const folder of response.folders) {
    const mark = folder.verdict === 'can_publish' ? style.green('✔ publishable') : folder.verdict === 'warning' ? style.yellow('! warning') : style.red('✖ rejected');
    print(`${mark} ${folder.filename} ${style.dim(`(${folder.ident}, ${folder.files} files${folder.version ? `, v${String(folder.version).padStart(3, '0')}` : ''})`)}`);
    for (const m of folder.messages) {
      const colour = m.level === 'error' ? style.red : m.level === 'warning' ? style.yellow : style.dim;
      print(`    ${colour(m.title)}: ${m.message}${m.hint ? style.dim(` — ${m.hint}`) : ''}`);
    }
  }
}
