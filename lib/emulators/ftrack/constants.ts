/**
 * Fixed ids that ftrack ships with: object types, built-in locations, states
 * and the default priority. Client code hard-codes these, so the emulator uses
 * the same values.
 */
export const OBJECT_TYPE_IDS = {
  Task: '11c137c0-ee7e-4f9c-91c5-8c77cec22b2c',
  Shot: 'bad911de-3bd6-47b9-8b46-3476e237cb36',
  Sequence: 'e5139355-61da-4c8f-9db4-3abc870166bc',
  Folder: '3c133785-51cb-11e3-980a-20c9d0831e59',
  AssetBuild: '4be63b64-5010-42fb-bf1f-428af9d638f0',
  Episode: '22139355-61da-4c8f-9db4-3abc870166bc',
  Milestone: '01decdd1-51cb-11e3-9d5b-20c9d0831e59',
} as const;

export type TypedContextName = keyof typeof OBJECT_TYPE_IDS;

export const OBJECT_TYPE_LABELS: Record<TypedContextName, string> = {
  Task: 'Task',
  Shot: 'Shot',
  Sequence: 'Sequence',
  Folder: 'Folder',
  AssetBuild: 'Asset Build',
  Episode: 'Episode',
  Milestone: 'Milestone',
};

export const LOCATION_IDS = {
  'ftrack.server': '3a372bde-05bc-11e4-8908-20c9d081909b',
  'ftrack.origin': 'ce9b348f-8809-11e3-821c-20c9d081909b',
  'ftrack.unmanaged': 'cb268ecc-8809-11e3-a7e2-20c9d081909b',
  'ftrack.review': 'cd41be70-8809-11e3-b98a-20c9d081909b',
  'ftrack.connect': '07b82a97-8cf9-11e3-9383-20c9d081909b',
} as const;

export const SERVER_LOCATION_ID = LOCATION_IDS['ftrack.server'];

export const STATE_IDS = {
  NOT_STARTED: 'cea0ba04-acb5-11e1-8668-f23c91df1211',
  IN_PROGRESS: 'cea0efc4-acb5-11e1-8668-f23c91df1211',
  DONE: 'cea116d4-acb5-11e1-8668-f23c91df1211',
  BLOCKED: '5709c04e-2f4b-11e2-b663-0019bb4983d8',
} as const;

export const STATE_NAMES: Record<keyof typeof STATE_IDS, string> = {
  NOT_STARTED: 'Not started',
  IN_PROGRESS: 'In progress',
  DONE: 'Done',
  BLOCKED: 'Blocked',
};

export const DEFAULT_PRIORITY_ID = '9661b320-3a0c-11e2-81c1-0800200c9a66';

/** Custom attribute value types; the ids are the emulator's own. */
export const CUSTOM_ATTRIBUTE_TYPE_IDS = {
  text: '5d0e4cdc-1bd8-4bfb-9a0e-0b3f2f8c1a01',
  number: '5d0e4cdc-1bd8-4bfb-9a0e-0b3f2f8c1a02',
  date: '5d0e4cdc-1bd8-4bfb-9a0e-0b3f2f8c1a03',
  boolean: '5d0e4cdc-1bd8-4bfb-9a0e-0b3f2f8c1a04',
  enumerator: '5d0e4cdc-1bd8-4bfb-9a0e-0b3f2f8c1a05',
} as const;

export const DEFAULT_PROJECT_SCHEMA_ID = '5d0e4cdc-1bd8-4bfb-9a0e-0b3f2f8c1b01';

/** Reported as `version` by query_server_information. */
export const SERVER_VERSION = '4.13.8';
