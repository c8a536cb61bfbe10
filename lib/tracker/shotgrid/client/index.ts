/** The typed ShotGrid REST client: see client.ts for the calls, http.ts for retries, auth.ts for tokens. */
export { createShotgridClient } from './client.ts';
export type { BatchRequest, FindOptions, ShotgridClient, ShotgridClientOptions, SummaryField } from './client.ts';
export type { ShotgridCredentials, TokenManager } from './auth.ts';
export { createTokenManager, jwtExpiry } from './auth.ts';
export { and, or, searchFilters, ARRAY_TYPE, HASH_TYPE } from './filters.ts';
export type { Condition, Filter, FilterGroup, PythonFilterGroup } from './filters.ts';
export { addTo, removeFrom, flatten, link, linkOf, linksOf, toWire } from './records.ts';
export type { EntityLink, FlatRecord, MultiEntityUpdate, WireRecord } from './records.ts';
export { formatDate, formatTimestamp, parseTimestamp } from './time.ts';
export type { FieldSchema, SchemaCache, StatusChoice } from './schema.ts';
export { retryAfterMs } from './http.ts';
export type { UploadOptions, UploadResult } from './upload.ts';
