/** What parsing a name can find wrong with it, in terms a vendor can act on. */

export const NAMING_ISSUE_CODES = [
  'WRONG_SEPARATOR',
  'WRONG_CASE',
  'MISSING_VERSION',
  'MISSING_VERSION_PREFIX',
  'BAD_VERSION_PADDING',
  'BAD_PADDING',
  'BAD_FIELD_VALUE',
  'UNKNOWN_TOKEN',
  'INCONSISTENT_FIELD',
  'AMBIGUOUS_SPLIT',
  'MISSING_FIELD',
  'MISSING_TEXT',
  'EXTRA_TEXT',
  'NO_MATCH',
] as const;

export type NamingIssueCode = (typeof NAMING_ISSUE_CODES)[number];

export interface NamingIssue {
  code: NamingIssueCode;
  /** One sentence about this name. */
  message: string;
  /** What to do about it, in general. */
  hint: string;
  /** The template field concerned, when there is one. */
  field?: string;
  /** The text found in the name, and what belongs there when known. */
  found?: string;
  expected?: string;
}

const HINTS: Record<NamingIssueCode, string> = {
  WRONG_SEPARATOR: 'Separate the parts of the name exactly as the template does.',
  WRONG_CASE: 'Use the same upper and lower case letters as the template and the task names.',
  MISSING_VERSION: 'Add the version at the end of the name, e.g. _v001.',
  MISSING_VERSION_PREFIX: 'Write the version with its "v", e.g. v001.',
  BAD_VERSION_PADDING: 'Write the version with the required number of digits, e.g. v001 not v1.',
  BAD_PADDING: 'Write the number with the required number of digits, zero-padded.',
  BAD_FIELD_VALUE: 'Use a value of the form the naming rules require for that part.',
  UNKNOWN_TOKEN: 'Use a name the project knows for that part (e.g. the task name as it is in the tracker).',
  INCONSISTENT_FIELD: 'Write the same value wherever the same part appears.',
  AMBIGUOUS_SPLIT: 'Rename so each part can be told apart, or ask HQ to list the known task names.',
  MISSING_FIELD: 'Add the missing part of the name.',
  MISSING_TEXT: 'Add the missing fixed text of the name.',
  EXTRA_TEXT: 'Remove the extra text; put notes in the publish comment instead.',
  NO_MATCH: 'Rename following the template exactly.',
};

export function issue(code: NamingIssueCode, message: string, extra: Omit<NamingIssue, 'code' | 'message' | 'hint'> = {}): NamingIssue {
  return { code, message, hint: HINTS[code], ...extra };
}
