/**
 * The upload forms of `shotgun_api3` (host-root `/upload/…`), answered in its
 * plain-text dialect: `1:<attachment id>` or `1\n<lines>` on success, `0\n<message>`
 * (HTTP 200) on failure. Direct uploads carry the file in the form; the storage
 * flow gets a link, PUTs the bytes (in parts above 20 MB) and links the file.
 */
import { badRequest, SgError } from '../errors.ts';
import type { Reply, Request } from '../server/http.ts';
import type { Site } from '../site.ts';
import type { Actor, Row } from '../store/index.ts';
import { readForm, type Form } from './form.ts';

const text = (body: string): Reply => ({ status: 200, text: body });

function target(site: Site, form: Form): Row {
  const type = form.fields['entity_type'] ?? '';
  const id = Number(form.fields['entity_id']);
  if (!site.schema.entity(type) || !Number.isInteger(id)) throw badRequest('entity_type and entity_id are required.', { entity_type: type, entity_id: form.fields['entity_id'] ?? null });
  return site.records.live(type, id);
}

function actorOf(site: Site, form: Form): Actor {
  return site.auth.rpc(form.fields);
}

const isTrue = (value: string | undefined): boolean => value === 'True' || value === 'true' || value === '1';

const options = (form: Form) => ({
  ...(form.fields['display_name'] ? { displayName: form.fields['display_name'] } : {}),
  ...(form.fields['tag_list'] ? { tags: form.fields['tag_list'].split(',') } : {}),
});

async function uploadFile(site: Site, form: Form): Promise<Reply> {
  const actor = actorOf(site, form);
  const file = form.files['file'];
  if (!file) throw badRequest('file is missing', { file: ['is missing'] });
  const id = await site.uploads.attach(actor, target(site, form), form.fields['field_name'] ?? null, file, options(form));
  return text(`1:${id}\n`);
}

async function publishThumbnail(site: Site, form: Form): Promise<Reply> {
  const actor = actorOf(site, form);
  const file = form.files['thumb_image'];
  if (!file) throw badRequest('thumb_image is missing', { thumb_image: ['is missing'] });
  const id = await site.uploads.attach(actor, target(site, form), isTrue(form.fields['filmstrip']) ? 'filmstrip_image' : 'image', file);
  return text(`1:${id}\n`);
}

function linkInfo(site: Site, form: Form): Reply {
  actorOf(site, form);
  const filename = form.fields['filename'] ?? '';
  const uploadType = form.fields['upload_type'] === 'Thumbnail' ? 'Thumbnail' : 'Attachment';
  const id = site.uploads.begin(filename, isTrue(form.fields['multipart_upload']));
  return text(`1\n${site.uploads.storageUrl(id)}\n${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}\n${uploadType}\n${id}`);
}

function partLink(site: Site, form: Form): Reply {
  actorOf(site, form);
  const part = Number(form.fields['part_number']);
  if (!Number.isInteger(part) || part < 1) throw badRequest('part_number must be a positive integer.', { part_number: form.fields['part_number'] ?? null });
  return text(`1\n${site.uploads.storageUrl(form.fields['upload_id'] ?? '', part)}`);
}

const completions = new WeakMap<Site, Map<string, { filename: string; bytes: Buffer }>>();

function completeMultipart(site: Site, form: Form): Reply {
  actorOf(site, form);
  const id = form.fields['upload_id'] ?? '';
  const file = site.uploads.finish(id, (form.fields['etags'] ?? '').split(',').filter(Boolean));
  const done = completions.get(site) ?? new Map<string, { filename: string; bytes: Buffer }>();
  completions.set(site, done.set(id, file));
  return text('1');
}

async function linkFile(site: Site, form: Form): Promise<Reply> {
  const actor = actorOf(site, form);
  const row = target(site, form);
  const lines = (form.fields['upload_link_info'] ?? '').split('\n');
  const [ok, , , uploadType, uploadId = ''] = lines;
  if (ok !== '1' || !uploadId) throw badRequest('upload_link_info is not what api_get_upload_link_info answered.', { upload_link_info: 'invalid' });
  const done = completions.get(site);
  const file = done?.get(uploadId) ?? site.uploads.finish(uploadId);
  done?.delete(uploadId);
  const field = uploadType === 'Thumbnail' ? (isTrue(form.fields['filmstrip']) ? 'filmstrip_image' : 'image') : (form.fields['field_name'] ?? null);
  const id = await site.uploads.attach(actor, row, field, file, options(form));
  return text(`1:${id}\n`);
}

function shareThumbnail(site: Site, form: Form): Reply {
  const actor = actorOf(site, form);
  const parse = (token: string): Row => {
    const at = token.lastIndexOf('_');
    return site.records.live(token.slice(0, at), Number(token.slice(at + 1)));
  };
  const source = parse(form.fields['source_entity'] ?? '');
  const field = isTrue(form.fields['filmstrip_thumbnail']) ? 'filmstrip_image' : 'image';
  const attachment = source.fields[field];
  if (typeof attachment !== 'number') return text(`0\n${source.type} ${source.id} has no thumbnail to share.`);
  site.table.transaction(() => {
    for (const token of (form.fields['entities'] ?? '').split(',').filter(Boolean)) site.records.setSystem(parse(token), field, attachment, actor);
  });
  return text(`1:${attachment}`);
}

function thumbnailUrl(site: Site, req: Request): Reply {
  const row = site.table.get(req.url.searchParams.get('entity_type') ?? '', Number(req.url.searchParams.get('entity_id')));
  const image = row?.fields['image'];
  return typeof image === 'number' ? text(`1\n/file_serve/attachment/${image}`) : text('0\nNo thumbnail.');
}

/** Answers an `/upload/…` form; failures as `0\n<message>`. */
export async function uploadRoute(site: Site, req: Request): Promise<Reply> {
  const name = req.url.pathname.slice('/upload/'.length);
  try {
    if (name === 'get_thumbnail_url') return thumbnailUrl(site, req);
    const form = await readForm(req);
    switch (name) {
      case 'upload_file':
        return await uploadFile(site, form);
      case 'publish_thumbnail':
        return await publishThumbnail(site, form);
      case 'api_get_upload_link_info':
        return linkInfo(site, form);
      case 'api_get_upload_link_for_part':
        return partLink(site, form);
      case 'api_complete_multipart_upload':
        return completeMultipart(site, form);
      case 'api_link_file':
        return await linkFile(site, form);
      case 'share_thumbnail':
        return shareThumbnail(site, form);
      default:
        return { status: 404, text: `No upload route ${name}.` };
    }
  } catch (err) {
    if (err instanceof SgError) return text(`0\n${err.message}${err.detail ? ` ${err.detail}` : ''}`);
    throw err;
  }
}
