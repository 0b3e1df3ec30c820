// Istio's exportTo: which namespaces can see a config object.
import {asStrings} from './fields.js';

/** An absent or empty list means every namespace; `.` is the owner's namespace; `~` is nobody. */
export function isExportedTo(exportTo: unknown, ownerNamespace: string, viewerNamespace: string): boolean {
  const entries = asStrings(exportTo);
  if (entries.length === 0) return true;
  return entries.some((entry) => entry === '*' || (entry === '.' ? ownerNamespace : entry) === viewerNamespace);
}

/** True when exportTo is absent, empty, or contains `*`. */
export function isExportedToAll(exportTo: unknown): boolean {
  const entries = asStrings(exportTo);
  return entries.length === 0 || entries.includes('*');
}

/** The Service annotation `networking.istio.io/exportTo` as a list (comma separated). */
export function serviceExportTo(annotations: Record<string, string> | undefined): string[] {
  const value = annotations?.['networking.istio.io/exportTo'];
  return value ? value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '') : [];
}
