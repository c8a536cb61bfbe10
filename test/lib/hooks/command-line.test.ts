import { describe, expect, it } from 'vitest';
import { commandArgs, splitCommandLine, substitute } from '../../../lib/hooks/command-line.ts';

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

  it('keeps the backslashes of Windows paths, quoted or not, on every OS', () => {
    for (const platform of ['linux', 'win32'] as const) {
      expect(splitCommandLine('python C:\\pipeline\\hooks\\ingest.py ${PATH_JSON_INPUT}', platform)).toEqual(['python', 'C:\\pipeline\\hooks\\ingest.py', '${PATH_JSON_INPUT}']);
      expect(splitCommandLine('"C:\\Program Files\\Python\\python.exe" "C:\\hooks\\a b.py"', platform)).toEqual(['C:\\Program Files\\Python\\python.exe', 'C:\\hooks\\a b.py']);
    }
    expect(splitCommandLine('copy \\\\server\\share\\x', 'win32')).toEqual(['copy', '\\\\server\\share\\x']);
    expect(splitCommandLine('echo a\\ b', 'linux')).toEqual(['echo', 'a b']);
  });

  it('takes a list as given and picks the command of the OS', () => {
    expect(commandArgs(['python3', 'C:\\x y\\hook.py', '${PATH_JSON_INPUT}'])).toEqual(['python3', 'C:\\x y\\hook.py', '${PATH_JSON_INPUT}']);
    const perOs = { windows: ['py', 'C:\\hooks\\ingest.py'], default: 'python3 /pipeline/hooks/ingest.py' };
    expect(commandArgs(perOs, 'win32')).toEqual(['py', 'C:\\hooks\\ingest.py']);
    expect(commandArgs(perOs, 'linux')).toEqual(['python3', '/pipeline/hooks/ingest.py']);
    expect(() => commandArgs({ windows: 'py x.py' }, 'darwin')).toThrow(expect.objectContaining({ code: 'HOOK_COMMAND_INVALID', message: expect.stringContaining('darwin') }));
    expect(() => commandArgs([])).toThrow(expect.objectContaining({ code: 'HOOK_COMMAND_INVALID' }));
  });

  it('substitutes only the known placeholders', () => {
    expect(substitute('--in=${PATH_JSON_INPUT} ${HOME}', { PATH_JSON_INPUT: '/tmp/x.json' })).toBe('--in=/tmp/x.json ${HOME}');
  });
});
