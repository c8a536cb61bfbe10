/**
 * encode_media: answers `{job_id}` at once with a queued Job, then encodes in
 * the background (running → done or failed). The outputs become
 * `ftrackreview-mp4` and `ftrackreview-image` components in ftrack.server,
 * attached to the version when one is given, each with its `ftr_meta`.
 */
import { SERVER_LOCATION_ID } from '../constants.ts';
import { nowDatetime } from '../codec.ts';
import { validationError } from '../errors.ts';
import { createEntity, updateEntity, type EntityGraph } from '../store/index.ts';
import type { ApiContext, Operation } from './context.ts';
import { encodeReview, type EncodedMedia } from './media-encoder.ts';

interface Output {
  name: string;
  format: string;
  fileType: string;
  bytes: Buffer;
  meta: Record<string, unknown>;
}

function addOutput(graph: EntityGraph, output: Output & { id: string }, versionId: string | null, jobId: string): void {
  createEntity(graph, 'FileComponent', {
    id: output.id,
    name: output.name,
    file_type: output.fileType,
    size: output.bytes.length,
    version_id: versionId,
  });
  createEntity(graph, 'ComponentLocation', { component_id: output.id, location_id: SERVER_LOCATION_ID, resource_identifier: output.id });
  createEntity(graph, 'Metadata', { parent_id: output.id, key: 'ftr_meta', value: JSON.stringify(output.meta) });
  createEntity(graph, 'JobComponent', { job_id: jobId, component_id: output.id });
}

async function runEncode(ctx: ApiContext, jobId: string, source: Buffer, fileType: string, versionId: string | null, base: Record<string, unknown>): Promise<void> {
  await ctx.mutate((graph) => updateEntity(graph, 'Job', jobId, { status: 'running' }));
  let encoded: EncodedMedia;
  try {
    encoded = await encodeReview(source, fileType);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await ctx.mutate((graph) =>
      updateEntity(graph, 'Job', jobId, { status: 'failed', finished_at: nowDatetime(), data: JSON.stringify({ ...base, error: message }) }),
    );
    return;
  }
  const outputs: (Output & { id: string })[] = [
    { id: crypto.randomUUID(), name: 'ftrackreview-mp4', format: 'video/mp4', fileType: '.mp4', ...encoded.mp4 },
    { id: crypto.randomUUID(), name: 'ftrackreview-image', format: 'image/jpeg', fileType: '.jpg', ...encoded.image },
  ];
  for (const output of outputs) await ctx.blobs.put(output.id, output.bytes);
  await ctx.mutate((graph) => {
    for (const output of outputs) addOutput(graph, output, versionId, jobId);
    const data = { ...base, output: outputs.map((o) => ({ format: o.format, component_id: o.id })) };
    updateEntity(graph, 'Job', jobId, { status: 'done', finished_at: nowDatetime(), data: JSON.stringify(data) });
  });
}

export async function encodeMedia(op: Operation, ctx: ApiContext): Promise<{ job_id: string }> {
  const componentId = op.component_id;
  const component = ctx.graph.byId(componentId);
  const source = typeof componentId === 'string' ? await ctx.blobs.get(componentId) : undefined;
  if (!component || !source) throw validationError(`Component ${JSON.stringify(componentId)} has no uploaded data in ftrack.server to encode.`);
  const versionId = typeof op.version_id === 'string' ? op.version_id : null;
  if (versionId && ctx.graph.byId(versionId)?.__entity_type__ !== 'AssetVersion') throw validationError(`No AssetVersion with id ${JSON.stringify(versionId)}.`);
  const base = { source_component_id: componentId, keep_original: op.keep_original === true };
  const job = createEntity(ctx.graph, 'Job', { status: 'queued', data: JSON.stringify({ ...base, output: [] }) });
  createEntity(ctx.graph, 'JobComponent', { job_id: job.id, component_id: componentId });
  const jobId = String(job.id);
  const markFailed = () => ctx.mutate((graph) => updateEntity(graph, 'Job', jobId, { status: 'failed', finished_at: nowDatetime() }));
  ctx.afterCommit.push(() => {
    runEncode(ctx, jobId, source, String(component.file_type ?? ''), versionId, base).catch(() => markFailed().catch(() => undefined));
  });
  return { job_id: jobId };
}
