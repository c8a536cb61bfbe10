/**
 * Parses YAML with js-yaml and remembers where every key and sequence item
 * sits, so a schema issue at `tracker.ftrack.serverUrl` can be reported at its
 * line and column. js-yaml has no syntax tree; its `listener` reports each node
 * opening and closing, which is enough to rebuild one.
 */
import yaml from 'js-yaml';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export type ConfigPath = ReadonlyArray<string | number>;

export interface ParsedYaml {
  value: unknown;
  /** Where the key (or sequence item) at `path` starts; the nearest known ancestor otherwise. */
  positionOf(path: ConfigPath): Position;
}

interface Node {
  start: Position;
  children: Node[];
  kind: string;
  result: unknown;
}

interface ListenerState {
  position: number;
  line: number;
  lineStart: number;
  kind: string | null;
  result: unknown;
}

/** Parses `text`; js-yaml's own YAMLException (with its mark) escapes on a syntax error. */
export function parseYamlWithPositions(text: string, file: string): ParsedYaml {
  const root: Node = { start: { line: 1, column: 1 }, children: [], kind: 'root', result: undefined };
  const stack: Node[] = [root];
  const value = yaml.load(text, {
    filename: file,
    listener(event: 'open' | 'close', state: ListenerState) {
      if (event === 'open') {
        const node: Node = {
          start: { line: state.line + 1, column: state.position - state.lineStart + 1 },
          children: [],
          kind: '',
          result: undefined,
        };
        stack[stack.length - 1]?.children.push(node);
        stack.push(node);
      } else if (stack.length > 1) {
        const node = stack.pop() as Node;
        node.kind = state.kind ?? 'null';
        node.result = state.result;
      }
    },
  } as yaml.LoadOptions);

  const index = new Map<string, Position>();
  const top = root.children[0];
  if (top) indexNode(unwrap(top), [], index);
  return {
    value,
    positionOf(path) {
      for (let n = path.length; n > 0; n--) {
        const found = index.get(keyOf(path.slice(0, n)));
        if (found) return found;
      }
      return { line: 1, column: 1 };
    },
  };
}

/** js-yaml wraps some nodes (a compact `- x` item) in an outer node with the same result. */
function unwrap(node: Node): Node {
  let current = node;
  while (current.children.length === 1 && current.children[0]?.result === current.result) {
    current = current.children[0] as Node;
  }
  return current;
}

function indexNode(node: Node, path: Array<string | number>, index: Map<string, Position>): void {
  if (node.kind === 'mapping') {
    for (let i = 0; i + 1 < node.children.length; i += 2) {
      const key = unwrap(node.children[i] as Node);
      const childPath = [...path, String(key.result)];
      index.set(keyOf(childPath), key.start);
      indexNode(unwrap(node.children[i + 1] as Node), childPath, index);
    }
  } else if (node.kind === 'sequence') {
    node.children.forEach((child, i) => {
      const item = unwrap(child);
      index.set(keyOf([...path, i]), item.start);
      indexNode(item, [...path, i], index);
    });
  }
}

function keyOf(path: ConfigPath): string {
  return path.map(String).join('\u0000');
}
