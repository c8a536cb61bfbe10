import { describe, expect, it } from 'vitest';
import { splitCommandLine, substitute } from '../../../lib/hooks/command-line.ts';

describe('splitCommandLine', () => {
  it('splits words, quotes and escapes like a shell, without running one', () => {
    expect(splitCommandLine('python3 /pipe/hook.py ${PATH_JSON_INPUT}')).toEqual(['python3', '/pipe/hook.py', '${PATH_JSON_INPUT}']);
    expect(splitCommandLine(`node "my hook.mjs" 'a b' c\\ d ""`)).toEqual(['node', 'my hook.mjs', 'a b', 'c d', '']);
    expect(splitCommandLine('echo "say \\"hi\\"" $(rm -rf /) | cat')).toEqual(['echo', 'say "hi"', '$(rm', '-rf', '/)', '|', 'cat']);
  });

  it('refuses an unclosed quote or an empty line', () => {
    expect(() => splitCommandLine('python3 "hook.py')).toThrow(expect.objectContaining({ code: 'HOOK_COMMAND_INVALID' }));
    expect(() => splitCommandLine('   ')).toThrow(expect.objectContaining({ code: 'HOOK_COMMAND_INVALID' }));
  });

  it('substitutes only the known placeholders', () => {
    expect(substitute('--in=${PATH_JSON_INPUT} ${HOME}', { PATH_JSON_INPUT: '/tmp/x.json' })).toBe('--in=/tmp/x.json ${HOME}');
  });
});
