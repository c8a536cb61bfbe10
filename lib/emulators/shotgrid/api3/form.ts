/**
 * Form posts of the Python client's upload calls: `multipart/form-data` (with
 * files) or `application/x-www-form-urlencoded`, read into text fields and
 * files.
 */
import { badRequest } from '../errors.ts';
import { mediaType, type Request } from '../server/http.ts';

export interface FormFile {
  filename: string;
  bytes: Buffer;
}

export interface Form {
  fields: Record<string, string>;
  files: Record<string, FormFile>;
}

const attribute = (header: string, name: string): string | undefined => {
  const match = new RegExp(`${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header) ?? new RegExp(`${name}=([^;\\s]+)`, 'i').exec(header);
  return match?.[1];
};

function parseMultipart(body: Buffer, boundary: string): Form {
  const form: Form = { fields: {}, files: {} };
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    const part = body.subarray(partStart + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const disposition = headers.split('\r\n').find((h) => /^content-disposition:/i.test(h)) ?? '';
      const name = attribute(disposition, 'name');
      const filename = attribute(disposition, 'filename');
      if (name && filename !== undefined) form.files[name] = { filename: decodeURIComponent(filename.replace(/%(?![0-9a-f]{2})/gi, '%25')), bytes: Buffer.from(content) };
      else if (name) form.fields[name] = content.toString('utf8');
    }
    start = next;
  }
  return form;
}

export async function readForm(req: Request): Promise<Form> {
  const type = mediaType(req);
  const body = await req.body();
  if (type === 'multipart/form-data') {
    const boundary = attribute(String(req.headers['content-type']), 'boundary');
    if (!boundary) throw badRequest('multipart/form-data without a boundary.', { content_type: 'boundary missing' });
    return parseMultipart(body, boundary);
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) fields[k] = v;
  for (const [k, v] of req.url.searchParams) fields[k] ??= v;
  return { fields, files: {} };
}
