/** Path templates of a vendor publish: `{root}/{shot}/publish/{task}/{publishFolder}`. */
import { HandoffError } from '../core/errors.ts';
import type { VendorInfo } from './types.ts';

/** Replaces every `{field}`; an unknown field is PUBLISH_TEMPLATE_FIELD naming the known ones. */
export function fillPathTemplate(template: string, values: Record<string, string | undefined>): string {
  const unknown: string[] = [];
  const text = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') unknown.push(name);
    return value ?? '';
  });
  if (unknown.length) {
    throw new HandoffError('PUBLISH_TEMPLATE_FIELD', `The path template ${template} uses ${unknown.join(', ')}, which this folder has no value for`, {
      hint: `Use only these fields: ${Object.keys(values).filter((k) => values[k]).join(', ')}.`,
      details: { template, unknown },
    });
  }
  return text;
}

/** The vendor's home folder in the HQ volume. */
export function vendorHomeOf(vendor: VendorInfo): string {
  return vendor.home ?? `_VENDORS/${vendor.code}`;
}
